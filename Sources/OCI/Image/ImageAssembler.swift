/// Writes configs, manifests and indexes into the store with the canonical encoder.
public struct ImageAssembler: Sendable {
    public let store: ContentStore

    public init(store: ContentStore) { self.store = store }

    /// Stores `config` and a manifest over `layers`; returns the platform image.
    public func assemble(config: ImageConfig, layers: [LayerResult]) throws -> PlatformImage {
        let configBytes = try CanonicalJSON.encode(config)
        let configDigest = try store.put(configBytes, what: "image config")
        let configDescriptor = Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(configBytes.count))
        let manifest = ImageManifest(config: configDescriptor, layers: layers.map(\.descriptor))
        let manifestBytes = try CanonicalJSON.encode(manifest)
        let manifestDigest = try store.put(manifestBytes, what: "image manifest")
        let manifestDescriptor = Descriptor(
            mediaType: MediaType.ociManifest, digest: manifestDigest, size: Int64(manifestBytes.count),
            platform: config.platform)
        return PlatformImage(
            platform: config.platform, manifest: manifestDescriptor, config: configDescriptor,
            layers: layers.map(\.descriptor), diffIDs: layers.map(\.diffID))
    }

    /// The root of a set of platform images: the manifest itself for one platform, else an
    /// index listing them in the order given.
    public func root(for images: [PlatformImage], forceIndex: Bool = false) throws -> Descriptor {
        if images.count == 1 && !forceIndex { return images[0].manifest }
        let index = ImageIndex(manifests: images.map(\.manifest))
        let bytes = try CanonicalJSON.encode(index)
        let digest = try store.put(bytes, what: "image index")
        return Descriptor(mediaType: MediaType.ociIndex, digest: digest, size: Int64(bytes.count))
    }
}
