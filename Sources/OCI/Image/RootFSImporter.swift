/// `mab import`: root filesystems (directories or tar/tar.gz/tar.zst files) become a base
/// image, one manifest per platform. Deterministic: the same trees give the same digests,
/// and with SOURCE_DATE_EPOCH touched trees do too (no host paths or clock in the image).
public struct RootFSImporter: Sendable {
    public var store: ContentStore
    public var writer: LayerWriter
    public var environment: [String]

    public static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    public init(store: ContentStore, writer: LayerWriter, environment: [String] = [RootFSImporter.defaultPath]) {
        self.store = store
        self.writer = writer
        self.environment = environment
    }

    public func importRootFS(platform: Platform, path: String, progress: (String) -> Void = { _ in }) throws -> PlatformImage {
        var source = path
        var temporary: String?
        defer { if let temporary { try? FileSystem.removeTree(temporary) } }
        if !FileSystem.isDirectory(path) {
            guard FileSystem.exists(path) else { throw OCIError.io(path: path, operation: "open", errno: 2) }
            let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "import")
            temporary = dir
            progress("unpacking \(path) for \(platform)")
            _ = try LayerExtractor().apply(layerAt: path, onto: dir)
            source = dir
        }
        progress("writing layer for \(platform)")
        let layer = try writer.write(.directory(source), into: store)
        let created = Timestamp.rfc3339(writer.sourceDateEpoch ?? layer.newestModification)
        let config = ImageConfig(
            platform: platform, rootfs: RootFS(diffIDs: [layer.diffID]),
            config: ContainerConfig(env: environment), created: created,
            history: [HistoryEntry(created: created, createdBy: "mab import", comment: "root filesystem")])
        return try ImageAssembler(store: store).assemble(config: config, layers: [layer])
    }
}
