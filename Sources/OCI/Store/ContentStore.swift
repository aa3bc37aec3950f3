#if canImport(Glibc)
import Glibc
#endif

/// mab's content-addressed store under `MAB_HOME`: `blobs/sha256/<hex>`, `tags.json`,
/// `cache/`, `tmp/` (same filesystem, for atomic renames) and `lock`.
public struct ContentStore: Sendable {
    public let root: String

    /// Opens (creating if needed) the store at `root`.
    public init(root: String) throws {
        self.root = root
        for dir in ["blobs/sha256", "tmp", "cache"] {
            try FileSystem.makeDirectories("\(root)/\(dir)")
        }
    }

    /// `MAB_HOME`, else `$XDG_DATA_HOME/mab`, else `/var/lib/mab` for root, else `~/.local/share/mab`.
    public static func defaultRoot(environment: [String: String]) -> String {
        if let home = environment["MAB_HOME"], !home.isEmpty { return home }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/mab" }
        if getuid() == 0 { return "/var/lib/mab" }
        return (environment["HOME"] ?? "/tmp") + "/.local/share/mab"
    }

    public func blobPath(_ digest: Digest) -> String { "\(root)/blobs/\(digest.algorithm)/\(digest.hex)" }

    public var description: String { "content store \(root)" }

    public func contains(_ digest: Digest) -> Bool { FileSystem.exists(blobPath(digest)) }

    public func size(of digest: Digest) -> Int64? { FileSystem.fileSize(blobPath(digest)) }

    public func lock(_ mode: StoreLock.Mode, wait: Bool = true) throws -> StoreLock {
        try StoreLock(path: "\(root)/lock", mode: mode, wait: wait)
    }

    /// Starts streaming a new blob into the store.
    public func writer() throws -> BlobWriter { try BlobWriter(store: self) }

    /// Stores a small blob held in memory (not written again when the store has it: a
    /// rebuilt index or config is usually the same bytes, and the write would cost an fsync).
    @discardableResult
    public func put(_ bytes: [UInt8], expected: Digest? = nil, what: String = "blob") throws -> Digest {
        if let expected, contains(expected) { return expected }
        if expected == nil, case let digest = Digest.of(bytes), contains(digest) { return digest }
        let w = try writer()
        try w.write(bytes)
        return try w.commit(expectedDigest: expected, what: what).digest
    }

    /// Reads a whole blob and verifies it against its name.
    public func read(_ digest: Digest) throws -> [UInt8] {
        let p = blobPath(digest)
        guard FileSystem.exists(p) else { throw OCIError.blobNotFound(digest, where: description) }
        let bytes = try FileSystem.readFile(p)
        let actual = Digest.of(bytes)
        guard actual == digest else { throw OCIError.digestMismatch(expected: digest, actual: actual, what: p) }
        return bytes
    }

    /// Streams a blob to `sink`, verifying its digest at the end (the caller discards what it
    /// wrote when this throws).
    public func stream(_ digest: Digest, chunkSize: Int = 1 << 20, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let p = blobPath(digest)
        guard FileSystem.exists(p) else { throw OCIError.blobNotFound(digest, where: description) }
        let fd = try FileSystem.open(p, O_RDONLY)
        defer { close(fd) }
        let hasher = SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try FileSystem.read(fd, into: buffer, path: p)
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hasher.update(chunk)
            try sink(chunk)
        }
        let actual = hasher.finalize()
        guard actual == digest else { throw OCIError.digestMismatch(expected: digest, actual: actual, what: p) }
    }

    /// Every blob digest present, sorted.
    public func allBlobs() throws -> [Digest] {
        try FileSystem.list("\(root)/blobs/sha256").compactMap { try? Digest(parsing: "sha256:" + $0) }
    }
}
