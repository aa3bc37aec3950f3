import Foundation

/// One recipe of the BuildKit differential harness (`Fixtures/buildkit-diff/NAME`): its
/// Dockerfile and `context/`, its options (`recipe`), what BuildKit v0.26.3 built from it
/// (`ARCH.tree`, `ARCH.config.json`) and the differences kept on purpose (`differences`).
///
/// `recipe` lines: `platforms linux/amd64 linux/arm64` (the default), `mode PATH OCTAL`
/// (a mode git does not keep), `build-arg K=V`, `target STAGE`.
/// `differences` lines: `PATH REASON` (the path is left out on both sides) or
/// `history REASON` (history is not compared).
struct ParityRecipe: CustomStringConvertible, Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/buildkit-diff").path

    let name: String
    var dir: String { Self.root + "/" + name }
    var platforms = ["linux/amd64", "linux/arm64"]
    var modes: [(path: String, mode: mode_t)] = []
    var buildArgs: [String] = []
    var target: String?
    /// Paths whose lines are not compared, with why.
    var ignoredPaths: [String: String] = [:]
    var historyIgnored: String?

    var description: String { name }

    static var all: [ParityRecipe] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/Dockerfile") && $0 != "base" }
            .sorted().compactMap { try? ParityRecipe(name: $0) }
    }

    init(name: String) throws {
        self.name = name
        let dir = Self.root + "/" + name
        for line in (try? String(contentsOfFile: dir + "/recipe", encoding: .utf8))?.split(separator: "\n") ?? [] {
            let words = line.split(separator: " ").map(String.init)
            switch words.first {
            case "platforms": platforms = Array(words.dropFirst())
            case "mode": modes.append((words[1], mode_t(words[2], radix: 8)!))
            case "build-arg": buildArgs.append(words[1])
            case "target": target = words[1]
            default: break
            }
        }
        for line in (try? String(contentsOfFile: dir + "/differences", encoding: .utf8))?.split(separator: "\n") ?? [] {
            let key = String(line.prefix { $0 != " " })
            let reason = String(line.dropFirst(key.count + 1))
            if key == "history" { historyIgnored = reason } else { ignoredPaths[key] = reason }
        }
    }

    /// Fills `ctx` with the Dockerfile, `context/` and the busybox root filesystem of
    /// `arch` as `rootfs/`, with the recorded modes.
    func makeContext(_ ctx: String, arch: String) throws {
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/Dockerfile", toPath: ctx + "/Dockerfile")
        guard try MabProcess.run(executable: "/bin/cp", ["-a", BuildTests.fixtures + "/\(arch)", ctx + "/rootfs"]).status == 0 else { throw CocoaError(.fileWriteUnknown) }
        if FileManager.default.fileExists(atPath: dir + "/context") {
            guard try MabProcess.run(executable: "/bin/cp", ["-a", dir + "/context/.", ctx]).status == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        for (path, mode) in modes where chmod(ctx + "/" + path, mode) != 0 { throw CocoaError(.fileWriteNoPermission) }
    }

    /// The image in OCI layout `layout` (tag `tag`) as (changed tree lines, config summary).
    static func image(layout: String, tag: String, scratch: String, base: TreeListing?) throws -> (tree: TreeListing, config: String) {
        let rootfs = scratch + "/rootfs"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let unpack = try MabProcess.run(executable: "/usr/bin/umoci", ["raw", "unpack", "--image", "\(layout):\(tag)", rootfs])
        guard unpack.status == 0 else { throw ParityError.tool("umoci raw unpack: \(unpack.stderr)") }
        defer { _ = try? MabProcess.run(executable: "/bin/rm", ["-rf", rootfs]) }
        let tree = try TreeListing(root: rootfs)
        return (base.map { tree.changes(from: $0) } ?? tree, try configSummary(layout: layout))
    }

    /// Platform, config and history (`created_by`, `empty_layer`) as sorted JSON text.
    static func configSummary(layout: String) throws -> String {
        func json(_ path: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
        }
        func blob(_ digest: Any?) throws -> [String: Any] {
            try json(layout + "/blobs/sha256/" + String((digest as? String ?? "").dropFirst(7)))
        }
        let index = try json(layout + "/index.json")
        let manifest = try blob((index["manifests"] as? [[String: Any]])?.first?["digest"])
        let config = try blob((manifest["config"] as? [String: Any])?["digest"])
        var summary: [String: Any] = [:]
        for key in ["architecture", "os", "variant", "config"] { summary[key] = config[key] }
        summary["history"] = (config["history"] as? [[String: Any]] ?? []).map { h in
            ["created_by": h["created_by"] ?? "", "empty_layer": h["empty_layer"] as? Bool ?? false]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) + "\n"
    }

    /// `diff -u` of two texts, for a readable failure.
    static func diff(_ recorded: String, _ built: String, label: String) -> String {
        let dir = (try? MabProcess.temporaryDirectory().path) ?? "/tmp"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try? recorded.write(toFile: dir + "/buildkit", atomically: true, encoding: .utf8)
        try? built.write(toFile: dir + "/mab", atomically: true, encoding: .utf8)
        let r = try? MabProcess.run(executable: "/usr/bin/diff", ["-u", "--label", "buildkit \(label)", "--label", "mab \(label)", dir + "/buildkit", dir + "/mab"])
        return r?.stdout ?? "(diff failed)"
    }

    enum ParityError: Error { case tool(String) }
}
