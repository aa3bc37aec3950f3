/// An image index / manifest list (OCI image-spec "Image Index").
public struct ImageIndex: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var manifests: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(manifests: [Descriptor], annotations: [String: String]? = nil, mediaType: String = MediaType.ociIndex) {
        self.schemaVersion = 2
        self.mediaType = mediaType
        self.manifests = manifests
        self.annotations = annotations
    }
}
