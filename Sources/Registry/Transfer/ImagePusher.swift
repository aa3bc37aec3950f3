import Dispatch
import Foundation
import OCI

/// Pushes an image (index or manifest with everything under it) to a registry: blobs
/// that exist are skipped, blobs are uploaded in parallel (3 at a time), manifests go
/// before the index, and the root is put under every tag.
public struct ImagePusher: Sendable {
    public let client: RegistryClient
    public var parallelism = 3

    public init(client: RegistryClient) { self.client = client }

    public struct Summary: Sendable {
        public var digest: Digest
        public var uploaded = 0
        public var existed = 0
        public var mounted = 0
        public var bytesUploaded: Int64 = 0
    }

    public func push(root: Descriptor, from blobs: any BlobSource, repository: String, tags: [String], locations: BlobLocations? = nil, progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> Summary {
        var summary = Summary(digest: root.digest)
        let resolver = ImageResolver(read: { try blobs.read($0) })
        let manifests = try resolver.manifests(of: root).filter { MediaType.isManifest($0.mediaType) }
        var layerSet: [Digest: Descriptor] = [:]
        var manifestBytes: [(Descriptor, [UInt8])] = []
        for m in manifests {
            let bytes = try blobs.read(m.digest)
            let manifest = try ImageGraph.decode(ImageManifest.self, bytes, what: "manifest \(m.digest)")
            for d in [manifest.config] + manifest.layers { layerSet[d.digest] = d }
            manifestBytes.append((m, bytes))
        }
        let todo = layerSet.values.sorted { $0.digest < $1.digest }
        let results = try parallelMap(todo, parallelism) { d -> RegistryClient.UploadOutcome in
            guard let path = blobs.path(of: d.digest) else { throw OCIError.blobNotFound(d.digest, where: blobs.description) }
            let mountFrom = locations?.repositories(for: d.digest, on: client.registry) ?? []
            let outcome = try client.pushBlob(repository, d, path: path, mountFrom: mountFrom)
            progress("\(outcome == .existed ? "exists " : outcome == .mounted ? "mounted" : "pushed ") \(d.digest.short) \(ByteCount.format(d.size))")
            return outcome
        }
        for (d, outcome) in zip(todo, results) {
            switch outcome {
            case .existed: summary.existed += 1
            case .mounted: summary.mounted += 1
            case .uploaded:
                summary.uploaded += 1
                summary.bytesUploaded += d.size
            }
        }
        locations?.record(todo.map(\.digest), repository: repository, registry: client.registry)
        if MediaType.isIndex(root.mediaType) {
            for (m, bytes) in manifestBytes {
                try client.putManifest(repository, reference: m.digest.description, mediaType: m.mediaType, bytes: bytes)
            }
        }
        let rootBytes = try blobs.read(root.digest)
        for tag in tags.isEmpty ? [root.digest.description] : tags {
            try client.putManifest(repository, reference: tag, mediaType: root.mediaType, bytes: rootBytes)
        }
        return summary
    }
}

