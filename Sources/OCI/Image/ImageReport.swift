/// What `mab inspect` shows: the root, then per platform the manifest, config and layers.
public struct ImageReport: Sendable, Hashable, Encodable {
    public struct Layer: Sendable, Hashable, Encodable {
        public var digest: Digest
        public var diffID: Digest?
        public var size: Int64
        public var mediaType: String
        public var createdBy: String?
        /// For layers a build made: its build-cache key and whether the cache held it.
        public var cacheKey: Digest?
        public var cacheHit: Bool?
    }

    public struct Image: Sendable, Hashable, Encodable {
        public var platform: Platform?
        public var manifest: Descriptor
        public var config: Descriptor
        public var created: String?
        public var layers: [Layer]
        /// For an image BuildKit built: the node, its BuildKit version, and the
        /// `containerimage.digest` of buildctl's metadata file for that node's build.
        public var builtBy: BuiltBy?
    }

    public struct BuiltBy: Sendable, Hashable, Encodable {
        public var node: String
        public var address: String
        public var buildkitVersion: String?
        public var containerImageDigest: String?
        public var emulated: Bool

        public init(node: String, address: String, buildkitVersion: String?, containerImageDigest: String?, emulated: Bool) {
            self.node = node
            self.address = address
            self.buildkitVersion = buildkitVersion
            self.containerImageDigest = containerImageDigest
            self.emulated = emulated
        }
    }

    public var reference: String
    public var root: Descriptor
    public var images: [Image]

    /// Reads every platform manifest and config below `root`.
    public init(reference: String, root: Descriptor, blobs: any BlobSource) throws {
        self.reference = reference
        self.root = root
        let resolver = ImageResolver(read: { try blobs.read($0) })
        var images: [Image] = []
        for m in try resolver.manifests(of: root) {
            guard MediaType.isManifest(m.mediaType) else { continue }
            let manifest = try ImageGraph.decode(ImageManifest.self, try blobs.read(m.digest), what: "manifest \(m.digest)")
            guard MediaType.isConfig(manifest.config.mediaType) else {
                throw OCIError.unknownMediaType(manifest.config.mediaType, what: "config of manifest \(m.digest)")
            }
            for layer in manifest.layers where !MediaType.isLayer(layer.mediaType) {
                throw OCIError.unknownMediaType(layer.mediaType, what: "layer \(layer.digest) of manifest \(m.digest)")
            }
            let config = try ImageGraph.decode(ImageConfig.self, try blobs.read(manifest.config.digest), what: "config \(manifest.config.digest)")
            let history = (config.history ?? []).filter { $0.emptyLayer != true }
            var layers: [Layer] = []
            for (i, l) in manifest.layers.enumerated() {
                layers.append(Layer(
                    digest: l.digest, diffID: i < config.rootfs.diffIDs.count ? config.rootfs.diffIDs[i] : nil,
                    size: l.size, mediaType: l.mediaType, createdBy: i < history.count ? history[i].createdBy : nil))
            }
            images.append(Image(platform: m.platform ?? config.platform, manifest: m, config: manifest.config, created: config.created, layers: layers))
        }
        self.images = images
    }

    /// A human-readable table.
    public func text() -> String {
        var out = "\(reference)\n"
        out += "\(MediaType.isIndex(root.mediaType) ? "index" : "manifest") \(root.digest) (\(root.mediaType), \(root.size) bytes)\n"
        for image in images {
            out += "\n\(image.platform?.description ?? "unknown platform")\n"
            out += "  manifest  \(image.manifest.digest)\n"
            out += "  config    \(image.config.digest)\n"
            if let created = image.created { out += "  created   \(created)\n" }
            out += "  layers:\n"
            out += "    #  DIGEST        DIFFID        SIZE        MEDIA TYPE                                   CREATED BY\n"
            for (i, l) in image.layers.enumerated() {
                let n = String(i + 1).padding(2)
                let type = l.mediaType.padding(44)
                out += "    \(n) \(l.digest.short)  \(l.diffID?.short ?? "-".padding(12))  \(ByteCount.format(l.size).padding(10))  \(type) \(l.createdBy ?? "")\n"
            }
        }
        return out
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
