import ArgumentParser
import Foundation
import OCI

/// `mab layer`: write or apply single layers (for checking reproducibility by hand).
public struct LayerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "layer",
        abstract: "Write or apply a single layer.",
        subcommands: [LayerCreateCommand.self, LayerApplyCommand.self])

    public init() {}
}

/// `mab layer create DIR -o FILE`
public struct LayerCreateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Write DIR as a deterministic layer file and print its diffID and digest.")

    @Argument(help: "The directory to archive (its contents; the directory itself is not an entry).")
    var directory: String

    @Option(name: [.short, .customLong("output")], help: "The layer file to write ('-' for standard output; the digests then go to standard error).")
    var output: String

    @Option(help: "gzip[:LEVEL], zstd[:LEVEL] or none.")
    var compression: String = "gzip"

    @Option(help: "Compression threads (default: all cores; the output does not depend on it).")
    var threads: Int = 0

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let writer = LayerWriter(
                compression: try LayerCompression(parsing: compression),
                sourceDateEpoch: try Timestamp.sourceDateEpoch(ProcessInfo.processInfo.environment), workers: threads)
            let result: LayerResult
            if output == "-" {
                result = try writer.write(.directory(directory), to: DescriptorSink(fd: 1, name: "<stdout>"))
            } else {
                let sink = try FileSink(path: output)
                result = try writer.write(.directory(directory), to: sink)
                try sink.commit()
            }
            let summary = "diffID \(result.diffID)\ndigest \(result.digest)\nsize \(result.size)\nuncompressed \(result.uncompressedSize)\n"
            if output == "-" { Terminal.error(summary, newline: false) } else { Terminal.output(summary) }
        }
    }
}

/// `mab layer apply FILE ROOT`
public struct LayerApplyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a layer (tar, tar+gzip, tar+zstd) onto ROOT, honouring whiteouts, safely.")

    @Argument(help: "The layer file.")
    var layer: String

    @Argument(help: "The root directory to apply it onto (created if missing).")
    var root: String

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            try FileSystem.makeDirectories(root)
            let stats = try LayerExtractor().apply(layerAt: layer, onto: root)
            Terminal.output("\(stats.entries) entries, \(stats.whiteouts) whiteouts" + (stats.skippedDevices > 0 ? ", \(stats.skippedDevices) device nodes skipped (not root)" : "") + "\n")
        }
    }
}
