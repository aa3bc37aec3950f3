import Foundation
import Testing

/// `mab build` with a real registry on loopback (Debian's docker-registry): push, read
/// back with skopeo, build FROM a pulled base whose ONBUILD triggers run, and refuse a
/// hostile base image.
@Suite(.serialized) struct BuildRegistryTests {
    @Test func pushReadBackWithSkopeoAndOnBuildFromAPulledBase() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        // A base with ONBUILD triggers, built for both platforms and pushed.
        let baseCtx = ws.path("base")
        try FileManager.default.createDirectory(atPath: baseCtx, withIntermediateDirectories: true)
        try """
            FROM \(BuildTests.base)
            RUN echo base > /base.txt
            ONBUILD COPY trigger.txt /from-trigger
            ONBUILD RUN echo "trigger ran on $(uname -m)" > /onbuild-ran

            """.write(toFile: baseCtx + "/Dockerfile", atomically: true, encoding: .utf8)
        let ref = "\(registry.host)/mab/onbuild:1"
        let push = try ws.mab(["build", baseCtx, "--platform", "linux/amd64,linux/arm64", "-t", ref, "--push"], environment: env)
        #expect(push.status == 0, "\(push.stderr)")
        let digest = push.stdout.trimmingCharacters(in: .newlines)
        #expect(push.stderr.contains("mab: pushed \(registry.host)/mab/onbuild:1 \(digest)"), "\(push.stderr)")

        // skopeo, an independent client, reads the index and both images back.
        let raw = try MabProcess.run(executable: "/usr/bin/skopeo", ["inspect", "--tls-verify=false", "--raw", "docker://\(ref)"])
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect("sha256:" + sha256(raw.stdout) == digest)
        for (arch, machine) in [("amd64", "x86_64"), ("arm64", "aarch64")] {
            let config = try MabProcess.run(executable: "/usr/bin/skopeo", ["--override-arch", arch, "inspect", "--tls-verify=false", "--config", "--raw", "docker://\(ref)"])
            #expect(config.status == 0, "\(config.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(config.stdout.utf8)) as? [String: Any])
            #expect(json["architecture"] as? String == arch)
            let c = try #require(json["config"] as? [String: Any])
            #expect(c["OnBuild"] as? [String] == ["COPY trigger.txt /from-trigger", "RUN echo \"trigger ran on $(uname -m)\" > /onbuild-ran"])
            _ = machine
        }

        // A child built with an empty store: the base is pulled, its triggers run first.
        let child = ws.path("child")
        try FileManager.default.createDirectory(atPath: child, withIntermediateDirectories: true)
        try "from the child's context\n".write(toFile: child + "/trigger.txt", atomically: true, encoding: .utf8)
        // It also copies from a second registry image, which must be pulled for both platforms.
        let other = "\(registry.host)/mab/other:1"
        let pushedOther = try ws.mab(["push", BuildTests.base, other])
        #expect(pushedOther.status == 0, "\(pushedOther.stderr)")
        try """
            FROM \(ref)
            RUN cat /onbuild-ran /from-trigger > /child.txt
            COPY --from=\(other) /bin/busybox /other-busybox

            """.write(toFile: child + "/Dockerfile", atomically: true, encoding: .utf8)
        let home = ws.path("fresh-home")
        let out = ws.path("child-out")
        let args = ["build", child, "--platform", "linux/amd64,linux/arm64", "--home", home, "--progress", "plain"]
        let first = try ws.mab(args + ["--output", "type=oci-dir,dest=\(out)"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("(8 steps run, 0 cached)"), "\(first.stderr)")
        #expect(ProgressTests.plainEnding(first.stderr, "[stage-0 linux/arm64 2/5] COPY trigger.txt /from-trigger") == "DONE", "\(first.stderr)")
        let build = BuildTests()
        for (layers, machine) in zip(try build.layerBlobs(out), ["x86_64", "aarch64"]) {
            try #require(layers.count == 6, "\(layers)")
            #expect(try build.extract(layers[4], "child.txt") == "trigger ran on \(machine)\nfrom the child's context\n")
            let busybox = try Data(contentsOf: URL(fileURLWithPath: BuildTests.fixtures + "/\(machine == "x86_64" ? "amd64" : "arm64")/bin/busybox"))
            #expect(try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", layers[5]]).stdout.contains(" \(busybox.count) "))
        }
        // The child does not inherit the triggers.
        let config = try MabProcess.run(executable: "/usr/bin/skopeo", ["--override-arch", "arm64", "inspect", "--config", "--raw", "oci:\(out)"])
        #expect(!config.stdout.contains("OnBuild"), "\(config.stdout)")
        // The second build finds everything in its cache: the keys were pinned to the
        // pulled base's digest on the first build too.
        let second = try ws.mab(args, environment: env)
        #expect(second.stderr.contains("(0 steps run, 8 cached)"), "\(second.stderr)")
        #expect(second.stdout == first.stdout)
    }

    /// Base images in the registry whose layer aims outside the root: refused naming the
    /// entry, or (a symlink followed by a write) kept inside the build's root; the
    /// directory aimed at never changes.
    @Test(arguments: [
        ("dotdot", "path climbs out of the root with \"..\""), ("absolute", "absolute path"),
        ("hardlink", "hardlink target \"OUTSIDE/sentinel\" is absolute"), ("symlink", ""),
    ])
    func hostileBaseImageIsRefused(_ name: String, _ reason: String) throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let outside = ws.path("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "sentinel\n".write(toFile: outside + "/sentinel", atomically: true, encoding: .utf8)
        let layout = ws.path("layout")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile_layout.py").path
        let made = try MabProcess.run(executable: "/usr/bin/python3", [script, layout, name, outside])
        try #require(made.status == 0, "\(made.stderr)")
        let ref = "\(registry.host)/hostile/\(name):1"
        let pushed = try MabProcess.run(executable: "/usr/bin/skopeo", ["copy", "--dest-tls-verify=false", "oci:\(layout):\(name)", "docker://\(ref)"])
        try #require(pushed.status == 0, "\(pushed.stderr)")
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "FROM \(ref)\nLABEL x=y\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--progress", "plain"])
        let entry = ["dotdot": String(repeating: "../", count: 12) + outside.dropFirst() + "/pwned", "absolute": outside + "/pwned", "hardlink": "stolen"][name]
        if let entry {
            #expect(r.status == 1)
            #expect(r.stderr.hasSuffix("mab: error: layer entry \"\(entry)\" refused: \(reason.replacingOccurrences(of: "OUTSIDE", with: outside))\n"), "\(r.stderr)")
        } else {
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["sentinel"])
        #expect(try String(contentsOfFile: outside + "/sentinel", encoding: .utf8) == "sentinel\n")
        #expect(try ws.mab(["store", "fsck"]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp") == [])
    }

    func sha256(_ text: String) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mab-sha-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return String((try? MabProcess.run(executable: "/usr/bin/sha256sum", [file]).stdout.prefix(64)) ?? "")
    }
}
