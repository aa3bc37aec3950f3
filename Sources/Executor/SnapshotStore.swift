import OCI

#if canImport(Glibc)
import Glibc
#endif

/// Unpacked root filesystems of image layer chains, cached in `MAB_HOME/snapshots/<chainID>`:
/// the read-only lower directory RUN steps stack their overlays on. A snapshot is built in
/// `tmp/` and renamed into place, so a killed build never leaves a partial one behind.
public struct SnapshotStore: Sendable {
    public let store: ContentStore

    public init(store: ContentStore) { self.store = store }

    var root: String { store.root + "/snapshots" }

    /// The chain ID of layers (OCI image-spec: ChainID(L0) = DiffID(L0),
    /// ChainID(Ln) = SHA256(ChainID(Ln-1) + " " + DiffID(Ln))).
    public static func chainID(_ diffIDs: [Digest]) -> Digest? {
        guard var chain = diffIDs.first else { return nil }
        for d in diffIDs.dropFirst() { chain = Digest.of(Array("\(chain) \(d)".utf8)) }
        return chain
    }

    /// The directory holding the image's root filesystem, unpacking its layers (from the
    /// store) the first time. An image with no layers gets an empty directory.
    public func snapshot(layers: [Descriptor], diffIDs: [Digest]) throws -> String {
        try FileSystem.makeDirectories(root)
        guard let chain = Self.chainID(diffIDs) else {
            let empty = root + "/empty"
            try FileSystem.makeDirectories(empty)
            return empty
        }
        let final = root + "/" + chain.hex
        if FileSystem.isDirectory(final) { return final }
        let building = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "snapshot")
        do {
            for layer in layers {
                guard store.contains(layer.digest) else { throw OCIError.blobNotFound(layer.digest, where: store.description) }
                _ = try LayerExtractor().apply(layerAt: store.blobPath(layer.digest), onto: building)
            }
        } catch {
            try? FileSystem.removeTree(building)
            throw error
        }
        if rename(building, final) != 0 {
            // Another build made the same snapshot meanwhile; keep theirs.
            try? FileSystem.removeTree(building)
            if !FileSystem.isDirectory(final) { throw FileSystem.errnoError(final, "rename") }
        }
        return final
    }

    /// Deletes every unpacked root filesystem (a cache: each is unpacked again from its
    /// layers when a build needs it); returns how many and their size. Call only under the
    /// store's exclusive lock.
    public func removeAll() throws -> (count: Int, bytes: Int64) {
        guard FileSystem.isDirectory(root) else { return (0, 0) }
        var count = 0
        var bytes: Int64 = 0
        for name in try FileSystem.list(root) {
            bytes += Self.size(of: root + "/" + name)
            try FileSystem.removeTree(root + "/" + name)
            count += 1
        }
        return (count, bytes)
    }

    /// Bytes in regular files under `path` (hardlinks counted once per name).
    static func size(of path: String) -> Int64 {
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return (st.st_mode & S_IFMT) == S_IFREG ? Int64(st.st_size) : 0 }
        return ((try? FileSystem.list(path)) ?? []).reduce(0) { $0 + size(of: path + "/" + $1) }
    }
}
