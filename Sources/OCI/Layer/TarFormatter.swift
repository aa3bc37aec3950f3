/// Writes a tar stream into a `ByteSink` as Go's archive/tar does (see `TarHeader`): each
/// entry's header blocks, its data padded to a 512-byte block, and two zero blocks at the
/// end, with no padding to a record size.
final class TarFormatter {
    private let sink: any ByteSink
    private let what: String
    /// Bytes of the current entry's data still owed, and the padding after them.
    private var remaining: Int64 = 0
    private var padding = 0

    init(sink: any ByteSink, what: String) throws {
        self.sink = sink
        self.what = what
    }

    func writeHeader(_ header: TarHeader) throws {
        try closeEntry()
        try write(header.encoded())
        let dataSize = header.kind == .regular ? header.size : 0
        remaining = dataSize
        padding = Int((512 - dataSize % 512) % 512)
    }

    func writeData(_ buffer: UnsafeRawBufferPointer) throws {
        guard Int64(buffer.count) <= remaining else {
            throw OCIError.archive(path: what, detail: "tar: \(buffer.count) bytes of data where \(remaining) remain of the entry")
        }
        try sink.write(buffer)
        remaining -= Int64(buffer.count)
    }

    private func closeEntry() throws {
        if remaining != 0 { throw OCIError.archive(path: what, detail: "tar: entry ended \(remaining) bytes short of its size") }
        if padding > 0 { try write([UInt8](repeating: 0, count: padding)) }
        padding = 0
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try sink.write($0) }
    }

    func finish() throws {
        try closeEntry()
        try write([UInt8](repeating: 0, count: 1024))
    }
}
