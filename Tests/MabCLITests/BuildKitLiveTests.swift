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
}
