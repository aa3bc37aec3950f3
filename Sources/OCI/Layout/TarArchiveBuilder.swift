#if canImport(Glibc)
import Glibc
#endif

/// Builds a tar file (an OCI or docker archive) entry by entry, deterministically:
/// root-owned, fixed modes, mtime 0 unless given.
final class TarArchiveBuilder {
    private let tar: TarFormatter
    private let mtime: Int64

    init(sink: any ByteSink, what: String, mtime: Int64 = 0) throws {
        tar = try TarFormatter(sink: sink, what: what)
        self.mtime = mtime
    }

    private func header(_ name: String, mode: mode_t, size: Int64) throws {
        let kind: TarHeader.Kind = (mode & S_IFMT) == S_IFDIR ? .directory : .regular
        try tar.writeHeader(TarHeader(name: Array(name.utf8), kind: kind, mode: Int64(mode & 0o7777), uid: 0, gid: 0, size: size, mtime: mtime))
    }

    func directory(_ name: String) throws {
        try header(name.hasSuffix("/") ? name : name + "/", mode: S_IFDIR | 0o755, size: 0)
    }

    func file(_ name: String, _ bytes: [UInt8]) throws {
        try header(name, mode: S_IFREG | 0o644, size: Int64(bytes.count))
        try bytes.withUnsafeBytes { try tar.writeData($0) }
    }

    /// A blob streamed from the store (verified while copied).
    func blob(_ name: String, _ digest: Digest, from store: ContentStore) throws {
        guard let size = store.size(of: digest) else { throw OCIError.blobNotFound(digest, where: store.description) }
        try header(name, mode: S_IFREG | 0o644, size: size)
        try store.stream(digest) { try tar.writeData($0) }
    }

    func finish() throws { try tar.finish() }
}
