#if canImport(Glibc)
import Glibc
#endif

/// Writes to a new file next to its destination and renames it into place on `commit`,
/// so an interrupted export leaves no half-written file behind.
public final class FileSink: ByteSink {
    public let path: String
    private let tempPath: String
    private var fd: Int32

    public init(path: String) throws {
        self.path = path
        tempPath = "\(FileSystem.parent(path))/.\(FileSystem.basename(path)).mab-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = try FileSystem.open(tempPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    }

    deinit { abort() }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        try FileSystem.writeAll(fd, buffer, path: tempPath)
    }

    public func commit() throws {
        if fsync(fd) != 0 { throw FileSystem.errnoError(tempPath, "fsync") }
        close(fd)
        fd = -1
        if rename(tempPath, path) != 0 { throw FileSystem.errnoError(path, "rename") }
    }

    public func abort() {
        if fd >= 0 {
            close(fd)
            fd = -1
            unlink(tempPath)
        }
    }
}
