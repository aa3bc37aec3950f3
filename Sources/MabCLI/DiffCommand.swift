import ArgumentParser
import Diff
import Foundation
import OCI
import Registry

/// `mab diff A B`: two images compared per platform — digests side by side, the config
/// field by field, the flattened filesystems file by file, each difference with its likely
/// cause. Exit 0 when they are the same, 1 when they differ, 2 when they cannot be read.
public struct DiffCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two images: digests, config, files and causes.",
        discussion: """
            A and B are tags in mab's store, oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE, or registry \
            references (host[:port]/repository:tag, pulled into the store). Exit status: 0 same, 1 different, 2 trouble.
            """)

    @Argument(help: "The first image.") var a: String
    @Argument(help: "The second image.") var b: String

    @Option(help: "Compare only this platform (default: every platform both images have).")
    var platform: String?

    @Option(help: "Output format: text, json or markdown.")
    var format: DiffFormat = .text

    @Flag(name: .customLong("ignore-timestamps"), help: "Leave file modification times and the config's creation times out.")
    var ignoreTimestamps = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var registry: RegistryOptions

    public init() {}

    public func run() throws {
        let comparisons: [PlatformComparison]
        do {
            comparisons = try CommandFailure.run {
                let contentStore = try store.open()
                let platforms = try platform.map { [try Platform(parsing: $0)] }
                let sa = try Self.side(a, store: contentStore, platforms: platforms, registry: registry)
                let sb = try Self.side(b, store: contentStore, platforms: platforms, registry: registry)
                return try ImageComparer(ignoreTimestamps: ignoreTimestamps).compare(sa, sb, platforms: platforms)
            }
        } catch let e as ExitCode where e == ExitCode(1) {
            throw ExitCode(2)
        }
        Terminal.output(try DiffRenderer.render(a: a, b: b, comparisons, format: format))
        if comparisons.contains(where: { !$0.identical }) { throw ExitCode(1) }
    }

    /// An image to compare: a location mab reads directly, else a registry reference pulled
    /// into the store (the platforms asked for, else amd64 and arm64).
    static func side(_ text: String, store: ContentStore, platforms: [Platform]?, registry: RegistryOptions) throws -> ImageComparer.Side {
        let location = try ImageLocation(parsing: text)
        if case .store(let tag) = location, (try? store.resolveTag(tag)) == nil, let ref = InspectCommand.remote(tag) {
            let root = try ImagePuller(client: try registry.client(for: ref.registry), store: store).pull(ref, platforms: platforms ?? [.linuxAMD64, .linuxARM64])
            return ImageComparer.Side(name: text, root: root, blobs: store)
        }
        let opened = try OpenedImage.open(location, store: store)
        return ImageComparer.Side(name: text, root: opened.root, blobs: opened.blobs, opened: opened)
    }
}
