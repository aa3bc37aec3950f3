import Foundation

/// Writes images from the store as an OCI image layout directory, an OCI archive, or a
/// docker archive (`docker load` and skopeo read it).
public struct ImageExporter: Sendable {
    public let store: ContentStore

    public init(store: ContentStore) { self.store = store }

    static let refNameAnnotation = "org.opencontainers.image.ref.name"

    func blobs(under root: Descriptor) throws -> [Descriptor] {
        var seen = Set<Digest>()
        return try ImageGraph.reachable(from: root) { try store.read($0) }.filter { seen.insert($0.digest).inserted }
    }

    /// An OCI image layout in `directory` (created, or merged into an existing layout).
    public func writeLayout(_ root: Descriptor, tag: String?, to directory: String) throws {
        let existing = FileSystem.exists(directory + "/index.json")
        if FileSystem.exists(directory) && !existing && !((try? FileSystem.list(directory))?.isEmpty ?? true) {
            throw OCIError.unsupported("\(directory): exists and is not an OCI layout (no index.json); choose an empty or new directory")
        }
        try FileSystem.makeDirectories(directory + "/blobs/sha256")
        for d in try blobs(under: root) {
            let target = "\(directory)/blobs/sha256/\(d.digest.hex)"
            if FileSystem.exists(target) { continue }
            let sink = try FileSink(path: target)
            try store.stream(d.digest) { try sink.write($0) }
            try sink.commit()
        }
        try FileSystem.writeFileAtomically(directory + "/oci-layout", try CanonicalJSON.encode(["imageLayoutVersion": "1.0.0"]))
        var index = ImageIndex(manifests: [])
        if existing {
            index = try ImageGraph.decode(ImageIndex.self, try FileSystem.readFile(directory + "/index.json"), what: directory + "/index.json")
        }
        var entry = root
        if let tag {
            entry.annotations = (entry.annotations ?? [:]).merging([Self.refNameAnnotation: tag]) { $1 }
            index.manifests.removeAll { $0.annotations?[Self.refNameAnnotation] == tag }
        } else {
            index.manifests.removeAll { $0.digest == root.digest && $0.annotations?[Self.refNameAnnotation] == nil }
        }
        index.manifests.append(entry)
        try FileSystem.writeFileAtomically(directory + "/index.json", try CanonicalJSON.encode(index))
    }

    /// An OCI archive: the layout as one tar file.
    public func writeOCIArchive(_ root: Descriptor, tag: String?, to path: String) throws {
        let sink = try FileSink(path: path)
        let tar = try TarArchiveBuilder(sink: sink, what: path)
        var entry = root
        if let tag { entry.annotations = (entry.annotations ?? [:]).merging([Self.refNameAnnotation: tag]) { $1 } }
        try tar.directory("blobs")
        try tar.directory("blobs/sha256")
        for d in try blobs(under: root).sorted(by: { $0.digest < $1.digest }) {
            try tar.blob("blobs/sha256/\(d.digest.hex)", d.digest, from: store)
        }
        try tar.file("index.json", try CanonicalJSON.encode(ImageIndex(manifests: [entry])))
        try tar.file("oci-layout", try CanonicalJSON.encode(["imageLayoutVersion": "1.0.0"]))
        try tar.finish()
        try sink.commit()
    }

    /// A docker archive (`docker save` format with an OCI layout inside) for one platform.
    public func writeDockerArchive(_ root: Descriptor, tags: [String], platform: Platform?, to path: String) throws {
        let manifestDescriptor = try ImageResolver(read: { try store.read($0) }).manifest(for: root, platform: platform, what: "image")
        let manifest = try ImageGraph.decode(ImageManifest.self, try store.read(manifestDescriptor.digest), what: "manifest \(manifestDescriptor.digest)")
        struct DockerEntry: Encodable {
            var Config: String
            var RepoTags: [String]
            var Layers: [String]
        }
        let entry = DockerEntry(
            Config: "blobs/sha256/\(manifest.config.digest.hex)", RepoTags: tags,
            Layers: manifest.layers.map { "blobs/sha256/\($0.digest.hex)" })
        let sink = try FileSink(path: path)
        let tar = try TarArchiveBuilder(sink: sink, what: path)
        try tar.directory("blobs")
        try tar.directory("blobs/sha256")
        var seen = Set<Digest>()
        let all = ([manifestDescriptor, manifest.config] + manifest.layers).filter { seen.insert($0.digest).inserted }
        for d in all.sorted(by: { $0.digest < $1.digest }) {
            try tar.blob("blobs/sha256/\(d.digest.hex)", d.digest, from: store)
        }
        var indexEntry = manifestDescriptor
        if let tag = tags.first { indexEntry.annotations = [Self.refNameAnnotation: tag, "io.containerd.image.name": tag] }
        try tar.file("index.json", try CanonicalJSON.encode(ImageIndex(manifests: [indexEntry])))
        try tar.file("manifest.json", try CanonicalJSON.encode([entry]))
        try tar.file("oci-layout", try CanonicalJSON.encode(["imageLayoutVersion": "1.0.0"]))
        try tar.finish()
        try sink.commit()
    }
}
