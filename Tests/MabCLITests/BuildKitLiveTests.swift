import Foundation
import Testing

/// Against a real buildkitd at `MAB_TEST_BUILDKIT_HOST` (buildctl from `MAB_BUILDCTL` or
/// PATH); skipped, saying so, when it is not set (CI has no buildkitd).
struct BuildKitLiveTests {
    static var host: String? { ProcessInfo.processInfo.environment["MAB_TEST_BUILDKIT_HOST"].flatMap { $0.isEmpty ? nil : $0 } }

    @Test func twoPlatformsThroughBuildKit() throws {
        guard let host = Self.host else {
            print("BuildKitLiveTests.twoPlatformsThroughBuildKit skipped: MAB_TEST_BUILDKIT_HOST is not set")
            return
        }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM scratch\nARG TARGETARCH\nCOPY rootfs-$TARGETARCH/ /\nRUN uname -m > /arch\nCMD [\"cat\", \"/arch\"]\n")
        for arch in ["amd64", "arm64"] {
            #expect(try MabProcess.run(executable: "/bin/cp", ["-a", BuildTests.fixtures + "/\(arch)", ctx + "/rootfs-\(arch)"]).status == 0)
        }
        let r = try ws.mab(["build", ctx, "--builder", host, "--platform", "linux/amd64,linux/arm64", "--no-cache", "--report", ws.path("report.json"), "-t", "live/app:1", "--progress", "plain"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("report.json")))) as? [String: Any]
        let images = try #require(report?["images"] as? [[String: Any]])
        #expect(images.map { ($0["platform"] as? [String: Any])?["architecture"] as? String } == ["amd64", "arm64"])
        for image in images {
            let builtBy = try #require(image["builtBy"] as? [String: Any])
            #expect(builtBy["buildkitVersion"] as? String == "v0.26.3")
            #expect((builtBy["containerImageDigest"] as? String)?.hasPrefix("sha256:") == true)
        }
        // /arch is what each platform's RUN saw: arm64 ran its own busybox under qemu.
        for (image, machine) in zip(images, ["x86_64", "aarch64"]) {
            let layers = try #require(image["layers"] as? [[String: Any]])
            let digest = try #require(layers.last?["digest"] as? String).dropFirst(7)
            #expect(try MabProcess.run(executable: "/usr/bin/bsdtar", ["-xOf", ws.home + "/blobs/sha256/\(digest)", "arch"]).stdout == machine + "\n")
        }
    }

    /// `mab repro` across the engines, on the recipe recorded in Fixtures/repro-engines: every
    /// layer agrees (diffIDs), the blobs are compressed differently, the configs differ only in
    /// the history comments, and BuildKit's image is the one recorded there.
    @Test func reproAcrossEngines() throws {
        guard let host = Self.host else {
            print("BuildKitLiveTests.reproAcrossEngines skipped: MAB_TEST_BUILDKIT_HOST is not set")
            return
        }
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try EnginesAgreeTests.context(ws)
        let r = try ws.mab(["repro", ctx, "--backends", "native,buildkit", "--runs", "1", "--builder", host, "--platform", "linux/amd64,linux/arm64",
                            "--format", "json", "--progress", "plain"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(r.status == 1, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.map { $0["backend"] as? String } == ["native", "buildkit"])
        #expect((runs[1]["root"] as? [String: Any])?["digest"] as? String == "sha256:07e748983dd1c5a2ea107a6a3c80e43fb2fe3effef40c76e0486c16b26183c9f")
        for image in try #require(report["images"] as? [[String: Any]]) {
            let rows = try #require(image["rows"] as? [[String: Any]])
            for row in rows {
                let what = row["what"] as? String ?? ""
                if what.hasSuffix("diffID") { #expect(row["same"] as? Bool == true, "\(row)") }
                if what.hasSuffix("digest") { #expect(row["same"] as? Bool == false, "\(row)") }
            }
            let c = try #require((image["comparisons"] as? [[String: Any]])?.first)
            #expect((c["configDifferences"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == (0..<7).map { "history[\($0)].comment" })
            let layers = try #require(c["layers"] as? [[String: Any]])
            #expect(layers.count == 4 && layers.allSatisfy { ($0["hints"] as? [String])?.first?.hasPrefix("the same tar, compressed to other bytes") == true })
        }
    }

    /// Two nodes, each declared for one platform (the arm64 one over mutual TLS when
    /// `MAB_TEST_BUILDKIT_TLS_DIR` holds ca.pem, client.pem, client-key.pem), build one
    /// two-platform image at once; without the client certificate the TLS node is refused
    /// with a message that says what to give.
    @Test func twoNodesAndMutualTLS() throws {
        let env = ProcessInfo.processInfo.environment
        guard let amd = Self.host, let arm = env["MAB_TEST_BUILDKIT_HOST_ARM64"], !arm.isEmpty else {
            print("BuildKitLiveTests.twoNodesAndMutualTLS skipped: MAB_TEST_BUILDKIT_HOST and MAB_TEST_BUILDKIT_HOST_ARM64 are not both set")
            return
        }
        let tls = env["MAB_TEST_BUILDKIT_TLS_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let config = ["XDG_CONFIG_HOME": ws.path("config")]
        #expect(try ws.mab(["builder", "create", "live", amd, "--node", "amd", "--platform", "linux/amd64"], environment: config).status == 0)
        let tlsFlags = tls.map { ["--tlscacert", "\($0)/ca.pem", "--tlscert", "\($0)/client.pem", "--tlskey", "\($0)/client-key.pem"] } ?? []
        let added = try ws.mab(["builder", "create", "live", arm, "--append", "--node", "arm", "--platform", "linux/arm64"] + tlsFlags, environment: config)
        #expect(added.status == 0, "\(added.stderr)")
        let inspect = try ws.mab(["builder", "inspect", "live"], environment: config)
        #expect(inspect.status == 0, "\(inspect.stdout)\(inspect.stderr)")
        #expect(inspect.stdout.components(separatedBy: "Status:    running").count == 3, "\(inspect.stdout)")

        let ctx = try ws.context("FROM scratch\nARG TARGETARCH\nCOPY rootfs-$TARGETARCH/ /\nRUN uname -m > /arch\n")
        for arch in ["amd64", "arm64"] {
            #expect(try MabProcess.run(executable: "/bin/cp", ["-a", BuildTests.fixtures + "/\(arch)", ctx + "/rootfs-\(arch)"]).status == 0)
        }
        let r = try ws.mab(["build", ctx, "--builder", "live", "--platform", "linux/amd64,linux/arm64", "--no-cache", "--report", ws.path("report.json"), "--progress", "plain"], environment: config)
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("mab: node amd (\(amd)) builds linux/amd64\n") && r.stderr.contains("mab: node arm (\(arm)) builds linux/arm64\n"), "\(r.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("report.json")))) as? [String: Any]
        let images = try #require(report?["images"] as? [[String: Any]])
        #expect(images.map { ($0["builtBy"] as? [String: Any])?["node"] as? String } == ["amd", "arm"])
        #expect(images.map { ($0["builtBy"] as? [String: Any])?["emulated"] as? Bool } == [false, false])
        for (image, machine) in zip(images, ["x86_64", "aarch64"]) {
            let digest = try #require(((image["layers"] as? [[String: Any]])?.last?["digest"] as? String)?.dropFirst(7))
            #expect(try MabProcess.run(executable: "/usr/bin/bsdtar", ["-xOf", ws.home + "/blobs/sha256/\(digest)", "arch"]).stdout == machine + "\n")
        }

        if let tls {
            #expect(try ws.mab(["builder", "create", "nocert", arm, "--tlscacert", "\(tls)/ca.pem"], environment: config).status == 0)
            let refused = try ws.mab(["builder", "inspect", "nocert"], environment: config)
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("refused the TLS connection") && refused.stdout.contains("give --tlscacert, --tlscert and --tlskey"), "\(refused.stdout)")
        }
    }
}
