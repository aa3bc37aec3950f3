/// Takes the uncompressed tar stream and writes the compressed stream to its output.
protocol CompressionStage: ByteSink {
    /// Flushes everything; the output is complete when this returns.
    func finish() throws
}

/// `none`: the tar stream as is, gathered into 1 MiB writes.
final class BufferedStage: CompressionStage {
    private let output: any ByteSink
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    private var count = 0

    init(output: any ByteSink) { self.output = output }

    deinit { buffer.deallocate() }

    func write(_ data: UnsafeRawBufferPointer) throws {
        guard let base = data.baseAddress else { return }
        if data.count >= buffer.count {
            try flush()
            try output.write(data)
            return
        }
        if count + data.count > buffer.count { try flush() }
        (buffer.baseAddress! + count).copyMemory(from: base, byteCount: data.count)
        count += data.count
    }

    private func flush() throws {
        if count > 0 { try output.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        count = 0
    }

    func finish() throws { try flush() }
}
