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
}
