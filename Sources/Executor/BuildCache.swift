import Foundation
import OCI

/// Records of built steps in `MAB_HOME/cache/<key>`: the layer a RUN or COPY step made,
/// found again by a key over the planner's cache key, the content it was built on (the
/// chain ID of the layers below it and of any stage it copied from) and the layer format.
/// A record is written atomically after its layer is in the store; a record whose layer
/// is gone (pruned) or that does not decode is a miss, never an error.
public struct BuildCache: Sendable {
    public let store: ContentStore

    public init(store: ContentStore) { self.store = store }

    var root: String { store.root + "/cache" }

    struct Record: Codable {
        var digest: String
        var diffID: String
        var size: Int64
        var mediaType: String
    }

    /// The record key of one step.
    public static func key(stepKey: String, below: [Digest], sources: [[Digest]], layerFormat: String) -> Digest {
        let chain = { (d: [Digest]) in SnapshotStore.chainID(d)?.description ?? "empty" }
        // v2: USER steps run as the user (their layers changed), COPY keeps the image's parents.
        // v3: RUN on the image's /tmp with BuildKit's groups and HOME; opaque directories
        // written as BuildKit's whiteouts. v4: tar headers as Go's archive/tar writes them.
        let text = ["mab-step-v4", stepKey, chain(below)] + sources.map(chain) + [layerFormat]
        return Digest.of(Array(text.joined(separator: "\n").utf8))
    }

    /// The layer recorded under `key`, when its blob is still in the store.
    public func lookup(_ key: Digest) -> LayerResult? {
        guard let bytes = try? FileSystem.readFile(root + "/" + key.hex),
              let record = try? JSONDecoder().decode(Record.self, from: Data(bytes)),
              let digest = try? Digest(parsing: record.digest),
              let diffID = try? Digest(parsing: record.diffID),
              store.size(of: digest) == record.size
        else { return nil }
        return LayerResult(diffID: diffID, digest: digest, size: record.size, uncompressedSize: 0, mediaType: record.mediaType, newestModification: 0)
    }

    /// Records `layer` (already in the store) under `key`.
    public func record(_ key: Digest, _ layer: LayerResult) throws {
        try FileSystem.makeDirectories(root)
        let record = Record(digest: layer.digest.description, diffID: layer.diffID.description, size: layer.size, mediaType: layer.mediaType)
        try FileSystem.writeFileAtomically(root + "/" + key.hex, Array(try JSONEncoder().encode(record)))
    }
}
