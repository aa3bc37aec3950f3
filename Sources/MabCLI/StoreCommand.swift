import ArgumentParser
import Executor
import OCI

/// `mab store`: look after the content store.
public struct StoreCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Verify, list and prune the content store.",
        subcommands: [StoreFsckCommand.self, StorePruneCommand.self, StoreTagsCommand.self])

    public init() {}
}

/// `mab store fsck`
public struct StoreFsckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fsck", abstract: "Re-hash every blob and check that every tagged image is complete.")

    @OptionGroup var store: StoreOptions

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let s = try store.open()
            let report = try s.fsck()
            for d in report.corrupt { Terminal.error("mab: corrupt blob \(d): content does not match its name (\(s.blobPath(d)))") }
            for m in report.missing { Terminal.error("mab: tag \(m.tag): blob \(m.digest) is missing") }
            Terminal.output("\(report.checked) blobs, \(ByteCount.format(report.bytes)) checked: \(report.isClean ? "ok" : "\(report.corrupt.count) corrupt, \(report.missing.count) missing")\n")
            if !report.isClean { throw ExitCode(1) }
        }
    }
}

/// `mab store prune`
public struct StorePruneCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete blobs no tag references, unpacked root filesystems, and leftovers of killed runs.")

    @OptionGroup var store: StoreOptions

    @Flag(name: .customLong("cache-mounts"), help: "Also empty the RUN --mount=type=cache directories.")
    var cacheMounts = false

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let contentStore = try store.open()
            let report = try contentStore.prune(underLock: {
                let snapshots = try SnapshotStore(store: contentStore).removeAll()
                var lines = ["removed \(snapshots.count) unpacked root filesystems (\(ByteCount.format(snapshots.bytes)))"]
                if cacheMounts { lines.append("removed \(try CacheMountStore(store: contentStore).removeAll()) cache mounts") }
                return lines
            })
            Terminal.output("removed \(report.removed.count) blobs (\(ByteCount.format(report.freedBytes))), kept \(report.kept), cleaned \(report.temporaryFilesRemoved) temporary files\n")
            for line in report.also { Terminal.output(line + "\n") }
        }
    }
}

/// `mab store tags`
public struct StoreTagsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "tags", abstract: "List the store's tags.")

    @OptionGroup var store: StoreOptions

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            for (name, d) in try store.open().tagTable().tags.sorted(by: { $0.key < $1.key }) {
                Terminal.output("\(name)\t\(d.digest)\t\(d.mediaType)\n")
            }
        }
    }
}
