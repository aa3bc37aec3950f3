import ArgumentParser
import Foundation
import OCI

/// `mab inspect`: an image's index, manifests, configs and layers.
public struct InspectCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an image's index, per-platform manifest and config digests, and its layers.",
        discussion: "SRC is oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE, or a tag in mab's store.")

    @Argument(help: "The image to inspect.")
    var source: String

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @OptionGroup var store: StoreOptions

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let location = try ImageLocation(parsing: source)
            let image = try OpenedImage.open(location, store: try store.open())
            let report = try ImageReport(reference: location.description, root: image.root, blobs: image.blobs)
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
