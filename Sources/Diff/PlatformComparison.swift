/// One platform of two images compared: digests side by side, the config field by field,
/// the flattened filesystems file by file.
public struct PlatformComparison: Sendable, Hashable, Codable {
    public var platform: String
    public var manifest: DigestPair
    public var config: DigestPair
    public var layers: [LayerRow]
    public var configDifferences: [FieldDifference]
    public var files: [FileChange]
    /// Layer by layer (only with `ImageComparer.perLayer`): each layer that differs, and how.
    public var layerChanges: [LayerDifference]?
    /// What the image-level differences suggest (a base image that is not the same, an
    /// image creation time), in plain words.
    public var hints: [String]
    /// Uncompressed file content read from both images, bytes.
    public var contentBytes: Int64
    /// The same manifest, or (with timestamps ignored) nothing else found different.
    public var identical: Bool
}
