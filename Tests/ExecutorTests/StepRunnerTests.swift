import Foundation
import Testing

@testable import Executor
@testable import OCI

/// RUN in a real sandbox on the busybox root filesystems: natively and under qemu.
@Suite(.serialized) struct StepRunnerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/fixtures/busybox").path

    func store() throws -> ContentStore {
        try ContentStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("mab-exec-\(UUID().uuidString)").path)
    }

    func listing(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/bsdtar")
        p.arguments = ["-tf", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: [("amd64", "x86_64"), ("arm64", "aarch64")])
    func runWritesTheDiffAsALayer(_ arch: String, _ machine: String) throws {
        try #require(FileManager.default.fileExists(atPath: Self.fixtures + "/\(arch)/bin/busybox"), "run scripts/busybox-rootfs.sh")
        let s = try store()
        defer { try? FileManager.default.removeItem(atPath: s.root) }
        let runner = StepRunner(store: s, writer: LayerWriter(compression: .gzip, sourceDateEpoch: 0))
        let sandbox = Sandbox(root: "", environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], workingDirectory: "/", confinement: try Confinement.sandbox())
        let outcome = try runner.run(
            ["/bin/sh", "-c", "uname -m | tee /arch; echo hi > /etc/motd; rm /etc/group"],
            lowers: [Self.fixtures + "/\(arch)"], sandbox: sandbox)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output == machine + "\n")
        let layer = try #require(outcome.layer)
        #expect(try listing(s.blobPath(layer.digest)) == "arch\netc/\netc/.wh.group\netc/motd\n")
        // The lower root filesystem is untouched.
        #expect(FileManager.default.fileExists(atPath: Self.fixtures + "/\(arch)/etc/group"))
        #expect(!FileManager.default.fileExists(atPath: Self.fixtures + "/\(arch)/arch"))
    }

    @Test func failingCommandReportsItsStatusAndMakesNoLayer() throws {
        let s = try store()
        defer { try? FileManager.default.removeItem(atPath: s.root) }
        let runner = StepRunner(store: s, writer: LayerWriter())
        let outcome = try runner.run(
            ["/bin/sh", "-c", "echo about to fail; exit 3"], lowers: [Self.fixtures + "/amd64"],
            sandbox: Sandbox(root: "", environment: ["PATH": "/bin"], confinement: try Confinement.sandbox()))
        #expect(outcome.status == 3)
        #expect(outcome.output == "about to fail\n")
        #expect(outcome.layer == nil)
        #expect(try s.allBlobs().isEmpty)
    }

    @Test func networkNoneAndNumericUser() throws {
        let s = try store()
        defer { try? FileManager.default.removeItem(atPath: s.root) }
        let runner = StepRunner(store: s, writer: LayerWriter())
        let outcome = try runner.run(
            ["/bin/sh", "-c", "id -u; id -g; ls /sys/class/net | sort | tr '\\n' ' '"], lowers: [Self.fixtures + "/amd64"],
            sandbox: Sandbox(root: "", environment: ["PATH": "/bin"], user: "65534:65534", network: .none, confinement: try Confinement.sandbox()))
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.hasPrefix("65534\n65534\n"))
    }
}

extension StepRunnerTests {
    @Test func snapshotsOfImagesAreCachedByChainAndStackUnderSteps() throws {
        let s = try store()
        defer { try? FileManager.default.removeItem(atPath: s.root) }
        // An image of two layers: busybox, then a layer that deletes /etc/group.
        let writer = LayerWriter(compression: .gzip, sourceDateEpoch: 0)
        let base = try writer.write(.directory(Self.fixtures + "/amd64"), into: s)
        let runner = StepRunner(store: s, writer: writer)
        let step = try runner.run(["/bin/sh", "-c", "rm /etc/group"], lowers: [Self.fixtures + "/amd64"], sandbox: Sandbox(root: "", environment: ["PATH": "/bin"], confinement: try Confinement.sandbox()))
        let second = try #require(step.layer)
        let snapshots = SnapshotStore(store: s)
        let dir = try snapshots.snapshot(layers: [base.descriptor, second.descriptor], diffIDs: [base.diffID, second.diffID])
        #expect(dir == s.root + "/snapshots/" + SnapshotStore.chainID([base.diffID, second.diffID])!.hex)
        #expect(FileManager.default.fileExists(atPath: dir + "/bin/busybox"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/etc/group"))
        #expect(try snapshots.snapshot(layers: [base.descriptor, second.descriptor], diffIDs: [base.diffID, second.diffID]) == dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.root + "/tmp").filter { $0.hasPrefix("snapshot") }.isEmpty)
        // A RUN on the snapshot sees the image as it is.
        let check = try runner.run(["/bin/sh", "-c", "test ! -e /etc/group && busybox --help >/dev/null && echo ok"], lowers: [dir], sandbox: Sandbox(root: "", environment: ["PATH": "/bin"], confinement: try Confinement.sandbox()))
        #expect(check.output == "ok\n")
        #expect(SnapshotStore.chainID([]) == nil)
        #expect(SnapshotStore.chainID([base.diffID]) == base.diffID)
    }
}
