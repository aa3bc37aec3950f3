import Foundation
import Testing

/// The differential harness: each recipe in Fixtures/buildkit-diff is built natively and
/// its flattened filesystem (as `umoci raw unpack` makes it) and config are compared with
/// what a live buildkitd v0.26.3 built from the same recipe and context, recorded there.
/// Trees are compared as their changes from `base/` (FROM scratch + COPY rootfs/ /, also
/// recorded from BuildKit), so a recipe's record holds only what it made.
///
/// To record again: start buildkitd (see the README there) and run
/// `MAB_PARITY_RECORD=unix:///run/buildkit/buildkitd.sock swift test --filter BuildKitDifferentialTests`.
struct BuildKitDifferentialTests {
    static let tag = "parity:latest"

    static func base(_ arch: String) throws -> TreeListing {
        TreeListing(text: try String(contentsOfFile: ParityRecipe.root + "/base/\(arch).tree", encoding: .utf8))
    }

    static func arguments() -> [(ParityRecipe, String)] {
        ParityRecipe.all.flatMap { r in r.platforms.map { (r, $0) } }
    }

    @Test(arguments: arguments())
    func sameAsBuildKit(_ recipe: ParityRecipe, _ platform: String) throws {
        if ProcessInfo.processInfo.environment["MAB_PARITY_RECORD"] != nil { return }
        let arch = String(platform.split(separator: "/").last!)
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        try recipe.makeContext(ws.path("ctx"), arch: arch)
        let args = ["build", ws.path("ctx"), "--platform", platform, "-t", Self.tag, "--output", "type=oci-dir,dest=\(ws.path("layout"))"]
            + recipe.buildArgs.flatMap { ["--build-arg", $0] } + (recipe.target.map { ["--target", $0] } ?? [])
        let r = try ws.mab(args)
        try #require(r.status == 0, "\(recipe.name) \(platform): \(r.stderr)")
        let built = try ParityRecipe.image(layout: ws.path("layout"), tag: Self.tag, scratch: ws.path("scratch"), base: Self.base(arch))
        let recordedTree = TreeListing(text: try String(contentsOfFile: recipe.dir + "/\(arch).tree", encoding: .utf8))
        func kept(_ t: TreeListing) -> TreeListing {
            TreeListing(entries: t.entries.filter { e in !recipe.ignoredPaths.keys.contains { e.key == $0 || e.key.hasPrefix($0 + "/") } })
        }
        let (want, got) = (kept(recordedTree).text, kept(built.tree).text)
        if want != got {
            Issue.record("\(recipe.name) \(platform): files differ from BuildKit's\n\(ParityRecipe.diff(want, got, label: "\(recipe.name)/\(arch).tree"))")
        }
        var recordedConfig = try String(contentsOfFile: recipe.dir + "/\(arch).config.json", encoding: .utf8)
        var builtConfig = built.config
        if recipe.historyIgnored != nil {
            recordedConfig = try Self.withoutHistory(recordedConfig)
            builtConfig = try Self.withoutHistory(builtConfig)
        }
        if recordedConfig != builtConfig {
            Issue.record("\(recipe.name) \(platform): config differs from BuildKit's\n\(ParityRecipe.diff(recordedConfig, builtConfig, label: "\(recipe.name)/\(arch).config.json"))")
        }
    }

    static func withoutHistory(_ text: String) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        object["history"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) + "\n"
    }

    /// Live: builds every recipe with buildkitd at `MAB_PARITY_RECORD` (buildctl from
    /// `MAB_BUILDCTL` or PATH) and writes what it built into the fixtures.
    @Test func recordWithLiveBuildKit() throws {
        guard let address = ProcessInfo.processInfo.environment["MAB_PARITY_RECORD"] else {
            print("BuildKitDifferentialTests.recordWithLiveBuildKit skipped: MAB_PARITY_RECORD (a buildkitd address) is not set")
            return
        }
        let buildctl = ProcessInfo.processInfo.environment["MAB_BUILDCTL"] ?? "/usr/local/bin/buildctl"
        let only = ProcessInfo.processInfo.environment["MAB_PARITY_ONLY"].map { Set($0.split(separator: ",").map(String.init)) }
        for recipe in [try ParityRecipe(name: "base")] + ParityRecipe.all where only == nil || only!.contains(recipe.name) || recipe.name == "base" {
            for platform in recipe.platforms {
                let arch = String(platform.split(separator: "/").last!)
                let ws = try ImportInspectTests.Workspace()
                defer { ws.remove() }
                try recipe.makeContext(ws.path("ctx"), arch: arch)
                var args = ["--addr", address, "build", "--frontend", "dockerfile.v0", "--local", "context=\(ws.path("ctx"))", "--local", "dockerfile=\(ws.path("ctx"))",
                            "--opt", "platform=\(platform)", "--output", "type=oci,dest=\(ws.path("image.tar")),name=\(Self.tag)"]
                args += recipe.buildArgs.flatMap { ["--opt", "build-arg:\($0)"] } + (recipe.target.map { ["--opt", "target=\($0)"] } ?? [])
                let r = try MabProcess.run(executable: buildctl, args)
                guard r.status == 0 else {
                    Issue.record("\(recipe.name) \(platform): \(r.stderr.split(separator: "\n").suffix(3).joined(separator: "\n"))")
                    continue
                }
                try FileManager.default.createDirectory(atPath: ws.path("layout"), withIntermediateDirectories: true)
                #expect(try MabProcess.run(executable: "/bin/tar", ["-xf", ws.path("image.tar"), "-C", ws.path("layout")]).status == 0)
                let image = try ParityRecipe.image(layout: ws.path("layout"), tag: "latest", scratch: ws.path("scratch"),
                                                   base: recipe.name == "base" ? nil : Self.base(arch))
                try ("# \(recipe.name) for \(platform), built by buildkitd v0.26.3: changes from base/\(arch).tree\n" + image.tree.text)
                    .write(toFile: recipe.dir + "/\(arch).tree", atomically: true, encoding: .utf8)
                try image.config.write(toFile: recipe.dir + "/\(arch).config.json", atomically: true, encoding: .utf8)
                print("recorded \(recipe.name) \(platform)")
            }
        }
    }
}
