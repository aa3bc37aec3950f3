import Foundation

/// An image opened for reading: its root descriptor and where its blobs are. Archives are
/// unpacked into a temporary directory that is removed when this is released.
public final class OpenedImage: @unchecked Sendable {
    public let location: ImageLocation
    public let root: Descriptor
    public let blobs: any BlobSource
    private let temporary: String?

    init(location: ImageLocation, root: Descriptor, blobs: any BlobSource, temporary: String?) {
        self.location = location
        self.root = root
        self.blobs = blobs
        self.temporary = temporary
    }

    deinit {
        if let temporary { try? FileSystem.removeTree(temporary) }
    }

    public static func open(_ location: ImageLocation, store: ContentStore) throws -> OpenedImage {
        switch location {
        case .store(let tag):
            return OpenedImage(location: location, root: try store.resolveTag(tag), blobs: store, temporary: nil)
        case .layout(let dir, let tag):
            let root = try layoutRoot(dir, tag: tag)
            return OpenedImage(location: location, root: root, blobs: DirectoryBlobSource(directory: dir, description: location.description), temporary: nil)
        case .ociArchive(let path, let tag):
            let dir = try unpack(path, store: store)
            do {
                let root = try layoutRoot(dir, tag: tag, shownAs: path)
                return OpenedImage(location: location, root: root, blobs: DirectoryBlobSource(directory: dir, description: path), temporary: dir)
            } catch {
                try? FileSystem.removeTree(dir)
                throw error
            }
        case .dockerArchive(let path):
            let dir = try unpack(path, store: store)
            do {
                let (root, blobs) = try dockerArchive(dir, shownAs: path)
                return OpenedImage(location: location, root: root, blobs: blobs, temporary: dir)
            } catch {
                try? FileSystem.removeTree(dir)
                throw error
            }
        }
    }

    static func unpack(_ path: String, store: ContentStore) throws -> String {
        guard FileSystem.exists(path) else { throw OCIError.io(path: path, operation: "open", errno: 2) }
        let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "archive")
        do {
            _ = try LayerExtractor(applyOwnership: false).apply(layerAt: path, onto: dir)
        } catch let OCIError.corruptLayer(_, detail) {
            try? FileSystem.removeTree(dir)
            throw OCIError.archive(path: path, detail: "not a readable tar archive: \(detail)")
        } catch {
            try? FileSystem.removeTree(dir)
            throw error
        }
        return dir
    }

    /// The image `tag` names in the OCI layout `dir` (the only one when no tag is given).
    public static func layoutRoot(_ dir: String, tag: String?, shownAs: String? = nil) throws -> Descriptor {
        let name = shownAs ?? dir
        let indexPath = dir + "/index.json"
        guard FileSystem.exists(indexPath) else {
            throw OCIError.unsupported("\(name): not an OCI image layout (no index.json)")
        }
        let index = try ImageGraph.decode(ImageIndex.self, try FileSystem.readFile(indexPath), what: "\(name) index.json")
        if let tag {
            guard let d = index.manifests.first(where: { $0.annotations?[ImageExporter.refNameAnnotation] == tag }) else {
                throw OCIError.tagNotFound(tag, where: name)
            }
            return d
        }
        guard index.manifests.count == 1 else {
            let tags = index.manifests.compactMap { $0.annotations?[ImageExporter.refNameAnnotation] }
            throw OCIError.unsupported("\(name) holds \(index.manifests.count) images; name one with :TAG (tags: \(tags.joined(separator: ", ")))")
        }
        return index.manifests[0]
    }

    struct DockerManifestEntry: Decodable {
        var Config: String
        var RepoTags: [String]?
        var Layers: [String]
    }

    static func dockerArchive(_ dir: String, shownAs path: String) throws -> (Descriptor, any BlobSource) {
        let manifestPath = dir + "/manifest.json"
        guard FileSystem.exists(manifestPath) else { throw OCIError.unsupported("\(path): not a docker archive (no manifest.json)") }
        let entries = try ImageGraph.decode([DockerManifestEntry].self, try FileSystem.readFile(manifestPath), what: "\(path) manifest.json")
        guard let entry = entries.first else { throw OCIError.unsupported("\(path): manifest.json lists no image") }
        var extra: [Digest: String] = [:]
        func fileDigest(_ rel: String) throws -> (Digest, Int64, String) {
            let comps = try LayerExtractor.components(of: rel)
            let p = dir + "/" + comps.joined(separator: "/")
            guard FileSystem.exists(p) else { throw OCIError.unsupported("\(path): manifest.json names \(rel), which the archive does not contain") }
            let hasher = SHA256Hasher()
            let fd = try FileSystem.open(p, O_RDONLY)
            defer { close(fd) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            var magic: [UInt8] = []
            while true {
                let n = try FileSystem.read(fd, into: buffer, path: p)
                if n == 0 { break }
                if magic.count < 4 { magic += Array(buffer[0..<min(n, 4 - magic.count)]) }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            let size = hasher.count
            let digest = hasher.finalize()
            extra[digest] = p
            let type: String
            if magic.starts(with: [0x1F, 0x8B]) {
                type = MediaType.dockerLayerGzip
            } else if magic.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
                type = MediaType.ociLayerZstd
            } else {
                type = "application/vnd.docker.image.rootfs.diff.tar"
            }
            return (digest, size, type)
        }
        let (configDigest, configSize, _) = try fileDigest(entry.Config)
        var layers: [Descriptor] = []
        for layer in entry.Layers {
            let (d, s, t) = try fileDigest(layer)
            layers.append(Descriptor(mediaType: t, digest: d, size: s))
        }
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.dockerConfig, digest: configDigest, size: configSize), layers: layers,
            mediaType: MediaType.dockerManifest)
        let bytes = try CanonicalJSON.encode(manifest)
        let manifestFile = dir + "/.mab-manifest.json"
        try FileSystem.writeFileAtomically(manifestFile, bytes)
        let digest = Digest.of(bytes)
        extra[digest] = manifestFile
        let root = Descriptor(mediaType: MediaType.dockerManifest, digest: digest, size: Int64(bytes.count))
        return (root, DirectoryBlobSource(directory: dir, extra: extra, description: path))
    }
}
