import BuildKit
import Doctor
import Foundation
import OCI
import Testing

/// The BuildKit side, against recorded buildctl v0.26.3 output replayed by a stand-in
/// `buildctl` (a script written here; no buildkitd runs in CI).
@Suite struct DoctorBuildKitTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func nodesAreProbedAndThePlatformsScheduled() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("mab-buildctl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        try """
            #!/bin/sh
            # Stand-in for buildctl (not BuildKit): replays recorded answers.
            case "$*" in
              --version) cat \(Self.fixtures)/version.txt ;;
              "--addr unix:///run/buildkit/buildkitd.sock debug workers --format {{json .}}") cat \(Self.fixtures)/debug-workers.json ;;
              *) echo "error: connection refused" >&2; exit 1 ;;
            esac

            """.write(toFile: bin + "/buildctl", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/buildctl")
        var doctor = Doctor(platforms: [.linuxAMD64], environment: ["PATH": bin + ":/usr/bin:/bin"])
        doctor.buildkitNodes = [
            BuilderNode(name: "node0", address: try BuilderAddress(parsing: "unix:///run/buildkit/buildkitd.sock")),
            BuilderNode(name: "node1", address: try BuilderAddress(parsing: "tcp://127.0.0.1:1234")),
        ]
        let rows = doctor.run().rows.filter { $0.check.hasPrefix("build") }
        #expect(rows.map(\.text) == [
            "✓ buildctl: \(bin)/buildctl: buildctl github.com/moby/buildkit v0.26.3 c70e8e666f8f6ee3c0d83b20c338be5aedeaa97a",
            "✓ builder node node0 (unix:///run/buildkit/buildkitd.sock): BuildKit v0.26.3; native: linux/amd64; platforms: linux/amd64, linux/arm64, linux/amd64/v2, linux/amd64/v3",
            "✗ builder node node1 (tcp://127.0.0.1:1234): node node1 (tcp://127.0.0.1:1234) does not answer: error: connection refused; is buildkitd running there? (mab builder inspect shows every node)\n    fix: check that buildkitd listens on tcp://127.0.0.1:1234 (buildkitd --addr tcp://127.0.0.1:1234)",
            "✓ builder schedule: linux/amd64 on node0",
        ])
        // Without buildctl, a selected builder is a failure with the fix.
        var without = Doctor(platforms: [], environment: ["PATH": "/nonexistent"])
        without.buildkitNodes = [BuilderNode(name: "n", address: try BuilderAddress(parsing: "tcp://127.0.0.1:1234"))]
        #expect(without.run().rows.last?.status == .fail)
    }
}
