/// An image manifest (OCI image-spec "Image Manifest"; Docker schema 2 reads the same).
public struct ImageManifest: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(config: Descriptor, layers: [Descriptor], annotations: [String: String]? = nil, mediaType: String = MediaType.ociManifest) {
        self.schemaVersion = 2
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }
}
