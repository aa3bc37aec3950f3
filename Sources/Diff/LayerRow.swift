/// Layer N of both images: its blob digest and its diffID (the uncompressed tar's).
public struct LayerRow: Sendable, Hashable, Codable {
    public var index: Int
    public var digest: DigestPair
    public var diffID: DigestPair

    public init(index: Int, digest: DigestPair, diffID: DigestPair) {
        self.index = index
        self.digest = digest
        self.diffID = diffID
    }
}
