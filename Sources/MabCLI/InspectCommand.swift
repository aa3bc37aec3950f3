import ArgumentParser
import Foundation
import OCI
import Registry

/// `mab inspect`: an image's index, manifests, configs and layers.
public struct InspectCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an image's manifests, configs and layers.",
        discussion: "SRC is oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE, a tag in mab's store, or a registry reference (host[:port]/repository:tag; only manifests and configs are fetched).")

    @Argument(help: "The image to inspect.")
    var source: String

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @OptionGroup var store: StoreOptions
    @OptionGroup var registry: RegistryOptions

    public init() {}

    /// A reference that names a registry host explicitly (`host.tld/…`, `host:port/…`, `localhost/…`).
    static func remote(_ text: String) -> ImageReference? {
        guard let first = text.split(separator: "/").first, text.contains("/"),
            first.contains(".") || first.contains(":") || first == "localhost"
        else { return nil }
        return try? ImageReference(parsing: text)
    }

    /// Reads the index, manifests and configs (not the layers) from the registry.
    static func remoteReport(_ ref: ImageReference, store: ContentStore, options: RegistryOptions) throws -> ImageReport {
        let client = try options.client(for: ref.registry)
        let (root, rootBytes) = try client.manifest(ref.repository, reference: ref.reference)
        try store.put(rootBytes, expected: root.digest, what: "\(ref)")
        let children = try ImageResolver(read: { try store.read($0) }).manifests(of: root)
        for m in children where MediaType.isManifest(m.mediaType) {
            if m.digest != root.digest {
                let (_, bytes) = try client.manifest(ref.repository, reference: m.digest.description)
                try store.put(bytes, expected: m.digest, what: "manifest \(m.digest)")
            }
            let manifest = try ImageGraph.decode(ImageManifest.self, try store.read(m.digest), what: "manifest \(m.digest)")
            try client.fetchBlob(ref.repository, manifest.config, into: store)
        }
        return try ImageReport(reference: ref.description, root: root, blobs: store)
    }

    public func run() throws {
        try CommandFailure.run {
            let location = try ImageLocation(parsing: source)
            let contentStore = try store.open()
            let report: ImageReport
            if case .store(let tag) = location, (try? contentStore.resolveTag(tag)) == nil, let ref = Self.remote(tag) {
                report = try Self.remoteReport(ref, store: contentStore, options: registry)
            } else {
                let image = try OpenedImage.open(location, store: contentStore)
                report = try ImageReport(reference: location.description, root: image.root, blobs: image.blobs)
            }
            switch format {
            case .text: Terminal.output(report.text())
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.output(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
            }
        }
    }
}

/// Text for people, JSON for CI.
public enum ReportFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
