import CDeflate
import Dispatch
import Foundation

/// gzip with libdeflate, in fixed 1 MiB blocks compressed in parallel, each block one gzip
/// member (RFC 1952 allows a series of members; every gzip reader, Go's included, reads
/// them as one stream). Block boundaries depend only on the input, so the output is the
/// same for any number of threads. Headers carry no name and no time, and OS byte 255.
final class ParallelGzipStage: CompressionStage, @unchecked Sendable {
    static let blockSize = 1 << 20

    private let level: Int32
    private let output: any ByteSink
    private let window: Int
    private let queue: DispatchQueue
    private let condition = NSCondition()
    private var results: [Int: [UInt8]] = [:]
    private var compressors: [OpaquePointer] = []
    private var nextToSubmit = 0
    private var nextToWrite = 0
    private var pending = UnsafeMutableRawBufferPointer.allocate(byteCount: ParallelGzipStage.blockSize, alignment: 64)
    private var pendingCount = 0
    private var failure: OCIError?

    init(level: Int, workers: Int, output: any ByteSink) {
        self.level = Int32(level)
        self.output = output
        let threads = max(1, workers)
        self.window = threads * 2
        self.queue = DispatchQueue(label: "mab.gzip", qos: .userInitiated, attributes: threads > 1 ? .concurrent : [])
    }

    deinit {
        pending.deallocate()
        for c in compressors { libdeflate_free_compressor(c) }
    }

    func write(_ buffer: UnsafeRawBufferPointer) throws {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let take = min(Self.blockSize - pendingCount, buffer.count - offset)
            (pending.baseAddress! + pendingCount).copyMemory(from: base + offset, byteCount: take)
            pendingCount += take
            offset += take
            if pendingCount == Self.blockSize { try submitPending() }
        }
    }

    private func submitPending() throws {
        try submit(Array(UnsafeRawBufferPointer(rebasing: pending[0..<pendingCount])))
        pendingCount = 0
    }

    func finish() throws {
        if pendingCount > 0 || nextToSubmit == 0 { try submitPending() }
        while nextToWrite < nextToSubmit { try writeNext() }
    }

    private func submit(_ block: [UInt8]) throws {
        while nextToSubmit - nextToWrite >= window { try writeNext() }
        let index = nextToSubmit
        nextToSubmit += 1
        queue.async { [self] in
            let compressed = compress(block)
            condition.lock()
            results[index] = compressed
            condition.broadcast()
            condition.unlock()
        }
    }

    private func writeNext() throws {
        condition.lock()
        while results[nextToWrite] == nil { condition.wait() }
        let block = results.removeValue(forKey: nextToWrite)!
        condition.unlock()
        nextToWrite += 1
        if block.isEmpty { throw OCIError.unsupported("gzip compression failed (libdeflate returned no output)") }
        try block.withUnsafeBytes { try output.write($0) }
    }

    private func takeCompressor() -> OpaquePointer? {
        condition.lock()
        defer { condition.unlock() }
        if let c = compressors.popLast() { return c }
        return libdeflate_alloc_compressor(level)
    }

    private func giveBack(_ c: OpaquePointer) {
        condition.lock()
        compressors.append(c)
        condition.unlock()
    }

    private func compress(_ block: [UInt8]) -> [UInt8] {
        guard let c = takeCompressor() else { return [] }
        defer { giveBack(c) }
        let bound = libdeflate_gzip_compress_bound(c, block.count)
        var out = [UInt8](repeating: 0, count: bound)
        let n = block.withUnsafeBytes { inBuf in
            out.withUnsafeMutableBytes { outBuf in
                libdeflate_gzip_compress(c, inBuf.baseAddress, block.count, outBuf.baseAddress, bound)
            }
        }
        guard n > 0 else { return [] }
        out.removeSubrange(n...)
        // libdeflate writes MTIME 0, no name; set OS to 255 (unknown) as Go's writer does.
        out[9] = 0xFF
        return out
    }
}
