import Foundation
import Testing

/// Recipes whose results BuildKit v0.26.3 recorded (Fixtures/buildkit-parity/NAME: the
/// Dockerfile, how it was built, the files it wrote): mab must write the same files.
@Suite(.serialized) struct BuildKitParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/buildkit-parity").path

    /// Builds fixture `name` (its `target`, or the last stage) for `platform` with the
    /// busybox root filesystem as `rootfs/`; returns each expected file's (recorded, built)
    /// text (`expected/F` is `under/F` in the image) and the image config.
    func build(_ name: String, platform: String, arch: String, target: String? = nil, under: String = "out/", modes: [(String, mode_t)] = []) throws -> (files: [(file: String, recorded: String, built: String)], image: [String: Any]) {
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let dir = Self.fixtures + "/" + name
        let ctx = try ws.context(try String(contentsOfFile: dir + "/Dockerfile", encoding: .utf8))
        let copy = try MabProcess.run(executable: "/bin/cp", ["-a", BuildTests.fixtures + "/\(arch)", ctx + "/rootfs"])
        #expect(copy.status == 0, "\(copy.stderr)")
        if FileManager.default.fileExists(atPath: dir + "/context") {
            #expect(try MabProcess.run(executable: "/bin/cp", ["-a", dir + "/context/.", ctx]).status == 0)
        }
        // Modes git does not keep, as the recorded context had them.
        for (path, mode) in modes { #expect(chmod(ctx + "/" + path, mode) == 0) }
        let r = try ws.mab(["build", ctx, "--platform", platform, "--report", ws.path("report.json")] + (target.map { ["--target", $0] } ?? []))
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/expected").sorted().map { file in
            (file, try String(contentsOfFile: dir + "/expected/" + file, encoding: .utf8),
             try SandboxConfinementTests.built(under + file, report: ws.path("report.json"), home: ws.home))
        }
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("report.json")))) as? [String: Any]
        let configDigest = try #require(((report?["images"] as? [[String: Any]])?.first?["config"] as? [String: Any])?["digest"] as? String).dropFirst(7)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.home + "/blobs/sha256/\(configDigest)"))) as? [String: Any]
        return (files, config ?? [:])
    }

    /// A config object as canonical text, for a readable comparison.
    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    @Test(arguments: [("base", "config-base.json"), (nil, "config-final.json")] as [(String?, String)])
    func configOfEveryInstruction(_ target: String?, _ recorded: String) throws {
        let (files, image) = try build("config", platform: "linux/amd64", arch: "amd64", target: target, under: "")
        let config = image["config"] ?? [String: Any]()
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/config/" + recorded)))
        #expect(try Self.canonical(config) == Self.canonical(expected), "against BuildKit's \(recorded)")
        for f in files { #expect(f.built == f.recorded, "\(f.file)") }
    }

    @Test(arguments: [("linux/amd64", "amd64"), ("linux/arm64", "arm64")])
    func runEnvironment(_ platform: String, _ arch: String) throws {
        let files = try build("run-environment", platform: platform, arch: arch).files
        #expect(files.count == 4)
        for f in files { #expect(f.built == f.recorded, "out/\(f.file)") }
    }

    @Test func onBuildOfAStage() throws {
        let (files, image) = try build("onbuild-stage", platform: "linux/amd64", arch: "amd64", under: "")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/onbuild-stage/config.json")))
        #expect(try Self.canonical(image["config"] ?? [String: Any]()) == Self.canonical(expected))
        let history = (image["history"] as? [[String: Any]] ?? []).map {
            ($0["empty_layer"] as? Bool == true ? "empty " : "layer ") + (($0["created_by"] as? String ?? "").split(separator: " ").first.map(String.init) ?? "")
        }
        #expect(history.joined(separator: "\n") + "\n" == (try String(contentsOfFile: Self.fixtures + "/onbuild-stage/history.txt", encoding: .utf8)))
        for f in files { #expect(f.built == f.recorded, "\(f.file)") }
    }

    @Test func copyOwnership() throws {
        let files = try build("copy-ownership", platform: "linux/amd64", arch: "amd64", modes: [("d", 0o700), ("d/g", 0o640)]).files
        #expect(files.count == 1)
        for f in files { #expect(f.built == f.recorded, "out/\(f.file)") }
    }

    @Test func argAfterEnvAddLinkAndHeredocEscapes() throws {
        let (files, image) = try build("misc", platform: "linux/amd64", arch: "amd64")
        #expect(files.count == 1)
        for f in files { #expect(f.built == f.recorded, "out/\(f.file)") }
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/misc/config.json")))
        #expect(try Self.canonical(image["config"] ?? [String: Any]()) == Self.canonical(expected))
    }

    @Test func copySources() throws {
        let files = try build("copy-sources", platform: "linux/amd64", arch: "amd64").files
        #expect(files.count == 1)
        for f in files { #expect(f.built == f.recorded, "out/\(f.file)") }
    }

    /// WORKDIR makes its directory as a layer, as BuildKit does: compared entry by entry
    /// (mode, owner, name) with BuildKit's recorded layers.
    @Test func workdirLayers() throws {
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let dir = Self.fixtures + "/workdir"
        let ctx = try ws.context(try String(contentsOfFile: dir + "/Dockerfile", encoding: .utf8))
        #expect(try MabProcess.run(executable: "/bin/cp", ["-a", BuildTests.fixtures + "/amd64", ctx + "/rootfs"]).status == 0)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--report", ws.path("report.json")])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("report.json")))) as? [String: Any]
        let layers = try #require((report?["images"] as? [[String: Any]])?.first?["layers"] as? [[String: Any]]).dropFirst()
        var listing: [String] = []
        for layer in layers {
            let digest = try #require(layer["digest"] as? String).dropFirst(7)
            listing.append("# \(layer["createdBy"] as? String ?? "")")
            let tv = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", ws.home + "/blobs/sha256/\(digest)", "--numeric-owner"]).stdout
            for line in tv.split(separator: "\n") {
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                listing.append("\(f[0]) \(f[2])/\(f[3]) \(f.last ?? "")")
            }
        }
        let recorded = try String(contentsOfFile: dir + "/layers.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(listing == recorded)
    }

    /// resolv.conf is the host's as it is (BuildKit drops loopback resolvers for the
    /// default network; mab's default network is the host's, where they answer), bound
    /// read-only like /etc/hosts, and neither reaches a layer.
    @Test func networkFilesAreBoundAndNeverInALayer() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("""
            FROM \(BuildTests.base)
            RUN cat /etc/resolv.conf > /resolv && (echo x >> /etc/hosts; echo "hosts-write $?") > /hosts-write 2>&1
            FROM scratch
            COPY --from=0 /bin/busybox /bin/busybox
            RUN ["/bin/busybox", "true"]

            """)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--target", "0", "--report", ws.path("report.json")])
        #expect(r.status == 0, "\(r.stderr)")
        let host = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        #expect(try SandboxConfinementTests.built("resolv", report: ws.path("report.json"), home: ws.home) == host)
        #expect(try SandboxConfinementTests.built("hosts-write", report: ws.path("report.json"), home: ws.home).hasSuffix("hosts-write 1\n"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("report.json")))) as? [String: Any]
        let layers = try #require((json?["images"] as? [[String: Any]])?.first?["layers"] as? [[String: Any]])
        let last = try #require(layers.last?["digest"] as? String).dropFirst(7)
        let listing = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tf", ws.home + "/blobs/sha256/\(last)"]).stdout
        #expect(listing.split(separator: "\n").sorted() == ["hosts-write", "resolv"])
        // A scratch stage's RUN gets the files too, and its layer holds nothing of them: only
        // the mount points /dev, /proc and /sys, empty, as runc leaves them for BuildKit.
        let s = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--report", ws.path("scratch.json")])
        #expect(s.status == 0, "\(s.stderr)")
        let sj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("scratch.json")))) as? [String: Any]
        let sl = try #require((sj?["images"] as? [[String: Any]])?.first?["layers"] as? [[String: Any]])
        let runLayer = try #require(sl.last?["digest"] as? String).dropFirst(7)
        #expect(try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tf", ws.home + "/blobs/sha256/\(runLayer)"]).stdout == "dev/\nproc/\nsys/\n")
    }
}
