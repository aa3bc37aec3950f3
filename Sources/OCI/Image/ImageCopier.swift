#if canImport(Glibc)
import Glibc
#endif

/// Copies an image (every blob under a root) from a blob source into the store,
/// verifying each digest and size while streaming; blobs already present are skipped.
public struct ImageCopier: Sendable {
    public let store: ContentStore

    public init(store: ContentStore) { self.store = store }

    public func copy(_ root: Descriptor, from source: any BlobSource) throws {
        for d in try Self.blobs(root, in: source) where !store.contains(d.digest) {
            try copyBlob(d, from: source)
        }
    }

    /// The image under `root` from another content store, each blob hard-linked where both
    /// stores share a filesystem (a store's blobs were verified when written and are never
    /// changed in place, so a link is as good as a copy), copied otherwise.
    public func link(_ root: Descriptor, from other: ContentStore) throws {
        for d in try Self.blobs(root, in: other) where !store.contains(d.digest) {
            let from = other.blobPath(d.digest)
            guard FileSystem.exists(from) else { throw OCIError.blobNotFound(d.digest, where: other.description) }
            if Glibc.link(from, store.blobPath(d.digest)) == 0 || errno == EEXIST { continue }
            try copyBlob(d, from: other)
        }
    }

    static func blobs(_ root: Descriptor, in source: any BlobSource) throws -> [Descriptor] {
        var seen = Set<Digest>()
        return try ImageGraph.reachable(from: root) { try source.read($0) }.filter { seen.insert($0.digest).inserted }
    }

    private func copyBlob(_ d: Descriptor, from source: any BlobSource) throws {
        guard let p = source.path(of: d.digest), FileSystem.exists(p) else {
            throw OCIError.blobNotFound(d.digest, where: source.description)
        }
        let fd = try FileSystem.open(p, O_RDONLY)
        defer { close(fd) }
        let w = try store.writer()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try FileSystem.read(fd, into: buffer, path: p)
            if n == 0 { break }
            try w.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        try w.commit(expectedDigest: d.digest, expectedSize: d.size, what: "blob \(d.digest) from \(source.description)")
    }
}
