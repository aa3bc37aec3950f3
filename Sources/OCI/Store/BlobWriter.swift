#if canImport(Glibc)
import Glibc
#endif

/// Streams one blob into the store: bytes go to a temp file on the store's filesystem and
/// through SHA-256 as they are written; `commit` verifies, fsyncs and renames into place,
/// so a reader never sees a partial blob. Dropped without commit, the temp file is removed.
public final class BlobWriter {
    private let store: ContentStore
    private var fd: Int32
    private let tempPath: String
    private let hasher = SHA256Hasher()
    private var finished = false

    init(store: ContentStore) throws {
        self.store = store
        self.tempPath = "\(store.root)/tmp/blob-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        self.fd = try FileSystem.open(tempPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    }

    deinit { abort() }

    public var bytesWritten: Int64 { hasher.count }

    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        hasher.update(buffer)
        try FileSystem.writeAll(fd, buffer, path: tempPath)
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Verifies (when expectations are given) and moves the blob into the store.
    @discardableResult
    public func commit(expectedDigest: Digest? = nil, expectedSize: Int64? = nil, what: String = "blob") throws -> (digest: Digest, size: Int64) {
        let size = hasher.count
        let digest = hasher.finalize()
        defer { abort() }
        if let expectedSize, expectedSize != size {
            throw OCIError.sizeMismatch(expected: expectedSize, actual: size, what: what)
        }
        if let expectedDigest, expectedDigest != digest {
            throw OCIError.digestMismatch(expected: expectedDigest, actual: digest, what: what)
        }
        if fsync(fd) != 0 { throw FileSystem.errnoError(tempPath, "fsync") }
        close(fd)
        fd = -1
        let final = store.blobPath(digest)
        if !FileSystem.exists(final) {
            if rename(tempPath, final) != 0 { throw FileSystem.errnoError(final, "rename") }
            FileSystem.syncDirectory(FileSystem.parent(final))
        } else {
            // The store has it already: the copy goes (it was left in tmp/ before).
            unlink(tempPath)
        }
        finished = true
        return (digest, size)
    }

    /// Discards the blob (also what happens when the writer is dropped uncommitted).
    public func abort() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        if !finished {
            unlink(tempPath)
            finished = true
        }
    }
}
