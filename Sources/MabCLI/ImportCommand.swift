import ArgumentParser
import Foundation
import OCI
import Registry

/// `mab import`: root filesystems → a (multi-platform) base image.
public struct ImportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a base image from root filesystems.",
        discussion: """
            Example: mab import linux/amd64=rootfs-amd64 linux/arm64=rootfs-arm64.tar.gz \\
                       -t mab/busybox:1.35 --output type=oci-dir,dest=busybox
            The same trees always give the same digests; with SOURCE_DATE_EPOCH set, file times \
            are clamped to it, so touched trees do too.
            """)

    @Argument(help: "PLATFORM=PATH pairs (e.g. linux/arm64=./rootfs).")
    var sources: [String]

    @Option(name: [.short, .customLong("tag")], help: "Tag for the image in the store and in outputs (repeatable).")
    var tags: [String] = []

    @Option(name: .customLong("output"), help: "type=oci-dir,dest=DIR | type=oci,dest=FILE.tar | type=docker,dest=FILE.tar (repeatable).")
    var outputs: [String] = []

    @Flag(help: "Push to the registry named by -t (type=registry).")
    var push = false

    @Option(help: "Layer compression: gzip[:LEVEL], zstd[:LEVEL] or none.")
    var compression: String = "gzip"

    @Option(help: "Compression threads (default: all cores; the output does not depend on it).")
    var threads: Int = 0

    @OptionGroup var store: StoreOptions
    @OptionGroup var registry: RegistryOptions

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let environment = ProcessInfo.processInfo.environment
            var targets = try outputs.map { try ExportTarget(parsing: $0) }
            if push && !targets.contains(.registry) { targets.append(.registry) }
            let pushRefs = targets.contains(.registry) ? try tags.map { try ImageReference(parsing: $0) } : []
            if targets.contains(.registry) && pushRefs.isEmpty {
                throw CLIError.usage("--push needs -t REGISTRY/REPOSITORY:TAG")
            }
            if targets.isEmpty && tags.isEmpty {
                throw CLIError.usage("nothing to do: give -t TAG to keep the image in the store, and/or --output SPEC")
            }
            var pairs: [(Platform, String)] = []
            for source in sources {
                guard let eq = source.firstIndex(of: "=") else {
                    throw CLIError.usage("\(source): expected PLATFORM=PATH, e.g. linux/amd64=./rootfs")
                }
                let platform = try Platform(parsing: String(source[..<eq]))
                if pairs.contains(where: { $0.0 == platform }) { throw CLIError.usage("platform \(platform) is given twice") }
                pairs.append((platform, String(source[source.index(after: eq)...])))
            }
            guard !pairs.isEmpty else { throw CLIError.usage("give at least one PLATFORM=PATH") }

            let contentStore = try store.open()
            let lock = try contentStore.lock(.shared)
            defer { withExtendedLifetime(lock) {} }
            let writer = LayerWriter(
                compression: try LayerCompression(parsing: compression),
                sourceDateEpoch: try Timestamp.sourceDateEpoch(environment), workers: threads)
            let importer = RootFSImporter(store: contentStore, writer: writer)
            var images: [PlatformImage] = []
            for (platform, path) in pairs {
                let start = Date()
                let image = try importer.importRootFS(platform: platform, path: path) { Terminal.error("mab: \($0)") }
                let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
                Terminal.error("mab: \(platform): layer \(image.layers[0].digest) (\(ByteCount.format(image.layers[0].size))) in \(seconds)s")
                images.append(image)
            }
            let assembler = ImageAssembler(store: contentStore)
            let root = try assembler.root(for: images)
            for tag in tags { try contentStore.setTag(tag, to: root) }
            let exporter = ImageExporter(store: contentStore)
            for target in targets where target != .registry {
                try export(root, images: images, target: target, exporter: exporter)
                Terminal.error("mab: wrote \(target)")
            }
            for ref in pushRefs {
                _ = try PushCommand.push(root, from: contentStore, to: ref, options: registry, locations: BlobLocations(store: contentStore))
            }
            Terminal.output("\(root.digest)\n")
        }
    }

    func export(_ root: Descriptor, images: [PlatformImage], target: ExportTarget, exporter: ImageExporter) throws {
        switch target {
        case .ociDirectory(let dir): try exporter.writeLayout(root, tag: tags.first, to: dir)
        case .ociArchive(let file): try exporter.writeOCIArchive(root, tag: tags.first, to: file)
        case .dockerArchive(let file):
            guard images.count == 1 else {
                throw CLIError.usage("type=docker holds one platform (docker load cannot take an index); import one platform, or use type=oci")
            }
            try exporter.writeDockerArchive(root, tags: tags, platform: images[0].platform, to: file)
        case .registry: break
        }
    }
}
