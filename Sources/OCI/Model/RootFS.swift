/// The `rootfs` of an image config: the uncompressed layer digests, bottom first.
public struct RootFS: Sendable, Hashable, Codable {
    public var type: String
    public var diffIDs: [Digest]

    enum CodingKeys: String, CodingKey {
        case type
        case diffIDs = "diff_ids"
    }

    public init(diffIDs: [Digest]) {
        self.type = "layers"
        self.diffIDs = diffIDs
    }
}
