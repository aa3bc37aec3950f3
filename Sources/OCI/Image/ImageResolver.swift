/// Picks a platform's manifest out of an index (variant-aware), or accepts a manifest.
public struct ImageResolver {
    public let read: (Digest) throws -> [UInt8]

    public init(read: @escaping (Digest) throws -> [UInt8]) { self.read = read }

    public func manifest(for root: Descriptor, platform: Platform?, what: String) throws -> Descriptor {
        if MediaType.isManifest(root.mediaType) { return root }
        guard MediaType.isIndex(root.mediaType) else { throw OCIError.unknownMediaType(root.mediaType, what: what) }
        let index = try ImageGraph.decode(ImageIndex.self, try read(root.digest), what: "index \(root.digest)")
        let candidates = index.manifests.filter { MediaType.isManifest($0.mediaType) }
        if let platform {
            if let m = candidates.first(where: { $0.platform.map { platform.matches($0) } ?? false }) { return m }
            throw OCIError.platformNotFound(platform.description, available: candidates.compactMap { $0.platform?.description })
        }
        if candidates.count == 1 { return candidates[0] }
        if let m = candidates.first(where: { $0.platform.map { Platform.host.matches($0) } ?? false }) { return m }
        throw OCIError.platformNotFound(Platform.host.description, available: candidates.compactMap { $0.platform?.description })
    }

    /// All platform manifests of a root (one for a plain manifest).
    public func manifests(of root: Descriptor) throws -> [Descriptor] {
        if MediaType.isManifest(root.mediaType) { return [root] }
        guard MediaType.isIndex(root.mediaType) else { throw OCIError.unknownMediaType(root.mediaType, what: "image \(root.digest)") }
        let index = try ImageGraph.decode(ImageIndex.self, try read(root.digest), what: "index \(root.digest)")
        return index.manifests
    }
}
