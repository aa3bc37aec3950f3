import ArgumentParser
import Foundation
import OCI
import Registry

/// `mab pull REF`
public struct PullCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull an image from a registry into the store.")

    @Argument(help: "The image (registry/repository:tag or @digest).")
    var reference: String

    @Option(help: "Platforms to pull, comma separated (default: all in the index).")
    var platform: String?

    @Option(name: .customLong("output"), help: "type=oci-dir,dest=DIR | type=oci,dest=FILE.tar | type=docker,dest=FILE.tar (repeatable).")
    var outputs: [String] = []

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var store: StoreOptions

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let ref = try ImageReference(parsing: reference)
            let platforms = try (platform ?? "").split(separator: ",").map { try Platform(parsing: String($0)) }
            let contentStore = try store.open()
            let lock = try contentStore.lock(.shared)
            defer { withExtendedLifetime(lock) {} }
            let start = Date()
            let root = try ImagePuller(client: try registry.client(for: ref.registry), store: contentStore)
                .pull(ref, platforms: platforms, progress: { Terminal.error("mab: \($0)") })
            try contentStore.setTag(ref.description, to: root)
            Terminal.error("mab: pulled \(ref) \(root.digest) in \(String(format: "%.2f", Date().timeIntervalSince(start)))s")
            let exporter = ImageExporter(store: contentStore)
            for spec in outputs {
                switch try ExportTarget(parsing: spec) {
                case .ociDirectory(let dir): try exporter.writeLayout(root, tag: ref.tag ?? ref.reference, to: dir)
                case .ociArchive(let file): try exporter.writeOCIArchive(root, tag: ref.tag ?? ref.reference, to: file)
                case .dockerArchive(let file):
                    try exporter.writeDockerArchive(root, tags: [ref.description], platform: platforms.first, to: file)
                case .registry: throw CLIError.usage("pull cannot write type=registry; use mab push")
                }
            }
            Terminal.output("\(root.digest)\n")
        }
    }
}
