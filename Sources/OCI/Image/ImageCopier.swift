#if canImport(Glibc)
import Glibc
#endif

/// Copies an image (every blob under a root) from a blob source into the store,
/// verifying each digest and size while streaming; blobs already present are skipped.
public struct ImageCopier: Sendable {
    public let store: ContentStore

    public init(store: ContentStore) { self.store = store }

    public func copy(_ root: Descriptor, from source: any BlobSource) throws {
        var seen = Set<Digest>()
        let all = try ImageGraph.reachable(from: root) { try source.read($0) }.filter { seen.insert($0.digest).inserted }
        for d in all {
            if store.contains(d.digest) { continue }
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
}
