/// One platform's image in the store: its manifest, config and layers.
public struct PlatformImage: Sendable, Hashable {
    public var platform: Platform
    public var manifest: Descriptor
    public var config: Descriptor
    public var layers: [Descriptor]
    public var diffIDs: [Digest]

    public init(platform: Platform, manifest: Descriptor, config: Descriptor, layers: [Descriptor], diffIDs: [Digest]) {
        self.platform = platform
        self.manifest = manifest
        self.config = config
        self.layers = layers
        self.diffIDs = diffIDs
    }
}
