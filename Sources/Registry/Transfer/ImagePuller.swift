import Foundation
import OCI

/// Pulls an image into the store: resolves the reference, picks the requested platforms
/// out of an index (variant-aware), and fetches configs and layers 3 at a time, each
/// verified while streaming. Returns the root to tag: the original index or manifest, or
/// an index of just the pulled platforms when only some were asked for.
public struct ImagePuller: Sendable {
    public let client: RegistryClient
    public let store: ContentStore
    public var parallelism = 3

    public init(client: RegistryClient, store: ContentStore) {
        self.client = client
        self.store = store
    }

    public func pull(_ ref: ImageReference, platforms: [Platform], progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> Descriptor {
        let repo = ref.repository
        let (root, rootBytes) = try client.manifest(repo, reference: ref.reference)
        var chosen: [(Descriptor, [UInt8])] = []
        var newRoot = root
        if MediaType.isIndex(root.mediaType) {
            let index = try ImageGraph.decode(ImageIndex.self, rootBytes, what: "index \(ref)")
            let candidates = index.manifests.filter { MediaType.isManifest($0.mediaType) }
            var picked: [Descriptor] = []
            if platforms.isEmpty {
                picked = candidates
            } else {
                for p in platforms {
                    guard let m = candidates.first(where: { $0.platform.map { p.matches($0) } ?? false }) else {
                        throw OCIError.platformNotFound(p.description, available: candidates.compactMap { $0.platform?.description })
                    }
                    if !picked.contains(m) { picked.append(m) }
                }
            }
            for m in picked {
                let (d, bytes) = try client.manifest(repo, reference: m.digest.description)
                var withPlatform = d
                withPlatform.platform = m.platform
                withPlatform.annotations = m.annotations
                chosen.append((withPlatform, bytes))
            }
            try store.put(rootBytes, expected: root.digest, what: "index \(ref)")
            if picked.count != candidates.count {
                var sub = index
                sub.manifests = picked
                let bytes = try CanonicalJSON.encode(sub)
                let digest = try store.put(bytes, what: "index of pulled platforms")
                newRoot = Descriptor(mediaType: root.mediaType, digest: digest, size: Int64(bytes.count))
            }
        } else {
            chosen = [(root, rootBytes)]
        }
        var blobs: [Descriptor] = []
        for (m, bytes) in chosen {
            let manifest = try ImageGraph.decode(ImageManifest.self, bytes, what: "manifest \(m.digest)")
            if !platforms.isEmpty && !MediaType.isIndex(root.mediaType) {
                let config = try fetchConfig(repo, manifest.config)
                let platform = config.platform
                guard platforms.contains(where: { $0.matches(platform) }) else {
                    throw OCIError.platformNotFound(platforms.map(\.description).joined(separator: ","), available: [platform.description])
                }
            }
            blobs.append(manifest.config)
            blobs.append(contentsOf: manifest.layers)
        }
        var seen = Set<Digest>()
        let unique = blobs.filter { seen.insert($0.digest).inserted }
        _ = try parallelMap(unique, parallelism) { d in
            let had = store.contains(d.digest)
            try client.fetchBlob(repo, d, into: store)
            progress("\(had ? "exists" : "pulled") \(d.digest.short) \(ByteCount.format(d.size))")
        }
        for (m, bytes) in chosen { try store.put(bytes, expected: m.digest, what: "manifest \(m.digest)") }
        BlobLocations(store: store).record(unique.map(\.digest), repository: repo, registry: client.registry)
        return newRoot
    }

    private func fetchConfig(_ repo: String, _ d: Descriptor) throws -> ImageConfig {
        try client.fetchBlob(repo, d, into: store)
        return try ImageGraph.decode(ImageConfig.self, try store.read(d.digest), what: "config \(d.digest)")
    }
}
