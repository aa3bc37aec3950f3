import CZstd

/// zstd through libzstd's streaming API with its own worker threads (nbWorkers ≥ 1, whose
/// output does not depend on the number of workers) and a content checksum.
final class ZstdStage: CompressionStage {
    private let context: OpaquePointer
    private let output: any ByteSink
    private var outBuffer: [UInt8]

    init(level: Int, workers: Int, output: any ByteSink) throws {
        guard let cctx = ZSTD_createCCtx() else { throw OCIError.unsupported("zstd: cannot create a compression context") }
        context = cctx
        self.output = output
        outBuffer = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, Int32(level)))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1))
        try check(ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, Int32(max(1, workers))))
    }

    deinit { ZSTD_freeCCtx(context) }

    private func check(_ rc: Int) throws {
        if ZSTD_isError(rc) != 0 {
            throw OCIError.unsupported("zstd: \(String(cString: ZSTD_getErrorName(rc)))")
        }
    }

    func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard buffer.count > 0 else { return }
        var input = ZSTD_inBuffer(src: buffer.baseAddress, size: buffer.count, pos: 0)
        while input.pos < input.size {
            try drain(&input, ZSTD_e_continue)
        }
    }

    func finish() throws {
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try drain(&input, ZSTD_e_end) != 0 {}
    }

    @discardableResult
    private func drain(_ input: inout ZSTD_inBuffer, _ mode: ZSTD_EndDirective) throws -> Int {
        let capacity = outBuffer.count
        return try outBuffer.withUnsafeMutableBytes { out in
            var o = ZSTD_outBuffer(dst: out.baseAddress, size: capacity, pos: 0)
            let remaining = ZSTD_compressStream2(context, &o, &input, mode)
            try check(remaining)
            if o.pos > 0 { try output.write(UnsafeRawBufferPointer(rebasing: out[0..<o.pos])) }
            return remaining
        }
    }
}
