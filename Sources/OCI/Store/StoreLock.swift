#if canImport(Glibc)
import Glibc
#endif

/// An advisory `flock` on `MAB_HOME/lock`: shared while a process adds blobs or tags,
/// exclusive while `prune` deletes, so nothing a running build references disappears.
public final class StoreLock {
    public enum Mode { case shared, exclusive }

    private let fd: Int32

    public init(path: String, mode: Mode, wait: Bool = true) throws {
        fd = try FileSystem.open(path, O_RDWR | O_CREAT, 0o644)
        var op = mode == .shared ? LOCK_SH : LOCK_EX
        if !wait { op |= LOCK_NB }
        while flock(fd, op) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { throw OCIError.storeLocked(path) }
            throw OCIError.io(path: path, operation: "flock", errno: code)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
