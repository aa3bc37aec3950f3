#if canImport(Glibc)
import Glibc
#endif

/// Writes to an already open file descriptor (standard output for `-o -`).
public final class DescriptorSink: ByteSink {
    private let fd: Int32
    private let name: String

    public init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        try FileSystem.writeAll(fd, buffer, path: name)
    }
}
