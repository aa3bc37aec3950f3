import ArgumentParser
import Foundation
import OCI
import Registry

/// `mab push SRC REF`
public struct PushCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push an image, all its platforms, to a registry.",
        discussion: "SRC is oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE, or a tag in mab's store. REF is registry/repository:tag.")

    @Argument(help: "The image to push.")
    var source: String

    @Argument(help: "Where to push it (host[:port]/repository:tag).")
    var destination: String

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var store: StoreOptions

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let image = try OpenedImage.open(try ImageLocation(parsing: source), store: try store.open())
            let ref = try ImageReference(parsing: destination)
            let digest = try Self.push(image.root, from: image.blobs, to: ref, options: registry, locations: BlobLocations(store: try store.open()))
            Terminal.output("\(digest)\n")
        }
    }

    /// Pushes and reports; returns the root digest.
    static func push(_ root: Descriptor, from blobs: any BlobSource, to ref: ImageReference, extraTags: [String] = [], options: RegistryOptions, locations: BlobLocations? = nil,
        say: @escaping @Sendable (String) -> Void = { Terminal.error("mab: \($0)") }) throws -> Digest {
        let client = try options.client(for: ref.registry)
        let start = Date()
        let tags = ([ref.tag].compactMap { $0 } + extraTags)
        let summary = try ImagePusher(client: client).push(
            root: root, from: blobs, repository: ref.repository, tags: tags.isEmpty ? ["latest"] : tags,
            locations: locations, progress: { say($0) })
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        say("pushed \(ref.name):\(tags.isEmpty ? "latest" : tags.joined(separator: ",")) \(root.digest) — \(summary.uploaded) uploaded (\(ByteCount.format(summary.bytesUploaded))), \(summary.existed) already there, \(summary.mounted) mounted, \(seconds)s")
        return summary.digest
    }
}
