/// A written layer: its uncompressed digest (diffID), its blob digest and sizes.
public struct LayerResult: Sendable, Hashable {
    public var diffID: Digest
    public var digest: Digest
    public var size: Int64
    public var uncompressedSize: Int64
    public var mediaType: String
    /// Newest mtime written (after clamping), for deterministic `created` times.
    public var newestModification: Int64

    public var descriptor: Descriptor { Descriptor(mediaType: mediaType, digest: digest, size: size) }

    public init(diffID: Digest, digest: Digest, size: Int64, uncompressedSize: Int64, mediaType: String, newestModification: Int64) {
        self.diffID = diffID
        self.digest = digest
        self.size = size
        self.uncompressedSize = uncompressedSize
        self.mediaType = mediaType
        self.newestModification = newestModification
    }
}
