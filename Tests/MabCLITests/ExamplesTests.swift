import Foundation
import Testing

/// The recipes in `examples/` build for linux/amd64 and linux/arm64, and what they make
/// runs: each platform's image is unpacked by independent tools (skopeo picks the
/// platform, umoci unpacks it) and its entrypoint run in a bubblewrap sandbox (arm64 under
/// qemu).
@Suite(.serialized) struct ExamplesTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path

    @Test func crossCompilationExampleRunsOnBothPlatforms() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let out = ws.path("out")
        let r = try ws.mab(["build", Self.examples + "/hello-multiarch", "--platform", "linux/amd64,linux/arm64", "-t", "mab/hello:1",
                            "--output", "type=oci-dir,dest=\(out)"])
        #expect(r.status == 0, "\(r.stderr)")
        for (arch, machine) in [("amd64", "x86_64"), ("arm64", "aarch64")] {
            let single = ws.path("single-\(arch)")
            let copy = try MabProcess.run(executable: "/usr/bin/skopeo", ["--override-arch", arch, "copy", "oci:\(out):mab/hello:1", "oci:\(single):one"])
            try #require(copy.status == 0, "\(copy.stderr)")
            let bundle = ws.path("bundle-\(arch)")
            let unpack = try MabProcess.run(executable: "/usr/bin/umoci", ["unpack", "--image", "\(single):one", bundle])
            try #require(unpack.status == 0, "\(unpack.stderr)")
            // The image's ENTRYPOINT, as the user it names (65534).
            let run = try MabProcess.run(executable: "/usr/bin/bwrap", [
                "--bind", bundle + "/rootfs", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-user", "--uid", "65534", "--gid", "65534",
                "--", "/usr/local/bin/hello",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "hello from \(arch) (\(machine))\n")
            // Built on the build platform for each target: the builder ran once, natively.
            let info = try String(contentsOfFile: bundle + "/rootfs/etc/mab/build-info", encoding: .utf8)
            #expect(info == "built on x86_64 for linux/\(arch)\n")
        }
    }

    @Test(arguments: ["two-platform", "cache-mounts"])
    func exampleBuildsForBothPlatforms(_ name: String) throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let r = try ws.mab(["build", Self.examples + "/" + name, "--platform", "linux/amd64,linux/arm64", "--output", "type=oci,dest=\(ws.path("x.tar"))"])
        #expect(r.status == 0, "\(r.stderr)")
        let sk = try MabProcess.run(executable: "/usr/bin/skopeo", ["inspect", "--raw", "oci-archive:\(ws.path("x.tar"))"])
        #expect(sk.stdout.contains("\"architecture\":\"arm64\"") && sk.stdout.contains("\"architecture\":\"amd64\""), "\(sk.stdout)")
    }
}
