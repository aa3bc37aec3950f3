import Foundation
import OCI

/// Compares two images platform by platform. Each side's layers are read once, as
/// streams, on a thread of their own; only the records (and small files' contents) are
/// kept.
public struct ImageComparer: Sendable {
    /// One image: its root (index or manifest), where its blobs are, its name in messages.
    public struct Side: Sendable {
        public var name: String
        public var root: Descriptor
        public var blobs: any BlobSource
        /// What holds the blobs in place (an archive unpacked to a temporary directory).
        public var opened: OpenedImage?

        public init(name: String, root: Descriptor, blobs: any BlobSource, opened: OpenedImage? = nil) {
            self.name = name
            self.root = root
            self.blobs = blobs
            self.opened = opened
        }
    }

    public var ignoreTimestamps: Bool
    /// Compares layer by layer (each differing layer with the one at its position, tar
    /// entries, headers and order) instead of the flattened filesystems: what `mab repro`
    /// asks of builds of one recipe.
    public var perLayer: Bool

    public init(ignoreTimestamps: Bool = false, perLayer: Bool = false) {
        self.ignoreTimestamps = ignoreTimestamps
        self.perLayer = perLayer
    }

    /// The platforms both images have (or `platforms`, each required in both).
    public func compare(_ a: Side, _ b: Side, platforms: [Platform]? = nil) throws -> [PlatformComparison] {
        let ma = try Self.manifests(a), mb = try Self.manifests(b)
        let wanted: [Platform]
        if let platforms {
            for p in platforms {
                if !ma.contains(where: { p.matches($0.0) }) { throw DiffError.platformMissing(p.description, image: a.name, has: ma.map(\.0.description)) }
                if !mb.contains(where: { p.matches($0.0) }) { throw DiffError.platformMissing(p.description, image: b.name, has: mb.map(\.0.description)) }
            }
            wanted = platforms
        } else {
            wanted = ma.map(\.0).filter { p in mb.contains { p.matches($0.0) } }
            guard !wanted.isEmpty else { throw DiffError.noCommonPlatform(a: ma.map(\.0.description), b: mb.map(\.0.description)) }
        }
        return try wanted.map { p in
            try comparePlatform(p, a, ma.first { p.matches($0.0) }!.1, b, mb.first { p.matches($0.0) }!.1)
        }
    }

    /// Every platform manifest of a side, with its platform (from the index, else the config).
    static func manifests(_ side: Side) throws -> [(Platform, Descriptor)] {
        let resolver = ImageResolver(read: { try side.blobs.read($0) })
        return try resolver.manifests(of: side.root).filter { MediaType.isManifest($0.mediaType) }.map { d in
            if let p = d.platform { return (p, d) }
            let m = try ImageGraph.decode(ImageManifest.self, try side.blobs.read(d.digest), what: "\(side.name): manifest \(d.digest)")
            let c = try ImageGraph.decode(ImageConfig.self, try side.blobs.read(m.config.digest), what: "\(side.name): config \(m.config.digest)")
            return (c.platform, d)
        }
    }

    func comparePlatform(_ p: Platform, _ a: Side, _ da: Descriptor, _ b: Side, _ db: Descriptor) throws -> PlatformComparison {
        let ma = try ImageGraph.decode(ImageManifest.self, try a.blobs.read(da.digest), what: "\(a.name): manifest \(da.digest)")
        let mb = try ImageGraph.decode(ImageManifest.self, try b.blobs.read(db.digest), what: "\(b.name): manifest \(db.digest)")
        let ca = try a.blobs.read(ma.config.digest), cb = try b.blobs.read(mb.config.digest)
        let ia = try ImageGraph.decode(ImageConfig.self, ca, what: "\(a.name): config"), ib = try ImageGraph.decode(ImageConfig.self, cb, what: "\(b.name): config")
        var layers: [LayerRow] = []
        for i in 0..<max(ma.layers.count, mb.layers.count) {
            layers.append(LayerRow(
                index: i + 1,
                digest: DigestPair(a: ma.layers[safe: i]?.digest.description, b: mb.layers[safe: i]?.digest.description),
                diffID: DigestPair(a: ia.rootfs.diffIDs[safe: i]?.description, b: ib.rootfs.diffIDs[safe: i]?.description)))
        }
        var configDifferences = da.digest == db.digest ? [] : ConfigComparison.compare(ca, cb, ignoreTimestamps: ignoreTimestamps)
        var files: [FileChange] = []
        var layerChanges: [LayerDifference] = []
        var bytes: Int64 = 0
        if perLayer && da.digest != db.digest {
            let history = (ia.history ?? []).filter { $0.emptyLayer != true }
            for row in layers where !row.digest.same || !row.diffID.same {
                let i = row.index - 1
                guard i < ma.layers.count, i < mb.layers.count else { continue }
                if row.diffID.same {
                    layerChanges.append(LayerComparison.compressionOnly(index: row.index, createdBy: history[safe: i]?.createdBy))
                    continue
                }
                let entries = Locked<[Int: Result<[LayerEntry], any Error>]>([:])
                let sides = [(a, ma.layers[i]), (b, mb.layers[i])]
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    let r = Result { try Self.entries(sides[k].0, sides[k].1) }
                    entries.withLock { $0[k] = r }
                }
                let ea = try entries.value[0]!.get(), eb = try entries.value[1]!.get()
                layerChanges.append(LayerComparison().compare(index: row.index, createdBy: history[safe: i]?.createdBy, a: ea, b: eb))
                bytes += ea.reduce(0) { $0 + (Self.fileBytes($1)) } + eb.reduce(0) { $0 + (Self.fileBytes($1)) }
            }
        } else if da.digest != db.digest && layers.contains(where: { !$0.diffID.same }) {
            // Both sides at once: each is one stream of layers.
            let trees = Locked<[Int: Result<FlatTree, any Error>]>([:])
            let sides = [(a, ma), (b, mb)]
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let r = Result { try Self.flatten(sides[i].0, sides[i].1) }
                trees.withLock { $0[i] = r }
            }
            let ta = try trees.value[0]!.get(), tb = try trees.value[1]!.get()
            files = TreeComparison(ignoreTimestamps: ignoreTimestamps).compare(ta.files, tb.files)
            bytes = ta.contentBytes + tb.contentBytes
        }
        // Layers whose files differ only in their times have other diffIDs: with the times
        // left out, that is no difference either.
        if ignoreTimestamps && files.isEmpty { configDifferences.removeAll { $0.field.hasPrefix("rootfs.diff_ids[") } }
        var hints: [String] = []
        if let first = layers.first, !first.diffID.same {
            hints.append("the first layers differ: the base images are not the same (pin FROM by digest: image@sha256:…)")
        }
        if configDifferences.contains(where: { $0.field == "created" || $0.field.hasSuffix(".created") }) {
            hints.append("the image's creation times differ: set SOURCE_DATE_EPOCH")
        }
        let identical = da.digest == db.digest || (ignoreTimestamps && configDifferences.isEmpty && files.isEmpty)
        return PlatformComparison(platform: p.description, manifest: DigestPair(a: da.digest.description, b: db.digest.description),
                                  config: DigestPair(a: ma.config.digest.description, b: mb.config.digest.description), layers: layers,
                                  configDifferences: configDifferences, files: files, layerChanges: perLayer ? layerChanges : nil, hints: hints,
                                  contentBytes: bytes, identical: identical)
    }

    /// One layer's entries.
    static func entries(_ side: Side, _ layer: Descriptor) throws -> [LayerEntry] {
        guard let path = side.blobs.path(of: layer.digest), FileSystem.exists(path) else { throw OCIError.blobNotFound(layer.digest, where: side.blobs.description) }
        return try LayerReader().entries(at: path, what: "\(side.name): \(layer.digest)")
    }

    static func fileBytes(_ e: LayerEntry) -> Int64 {
        if case .record(let r) = e, r.kind == .file { return r.size }
        return 0
    }

    /// A side's layers stacked up.
    static func flatten(_ side: Side, _ manifest: ImageManifest) throws -> FlatTree {
        var tree = FlatTree()
        for layer in manifest.layers { tree.apply(try entries(side, layer)) }
        return tree
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
