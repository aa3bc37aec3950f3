import Doctor
import Foundation
import Testing

/// The BuildKit side, against recorded buildctl v0.26.3 output replayed by a stand-in
/// `buildctl` (no buildkitd can run here).
@Suite struct DoctorBuildKitTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func reachableBuilderReportsItsPlatforms() throws {
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("mab-buildctl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        try """
            #!/bin/sh
            case "$*" in
              --version) cat \(Self.fixtures)/version.txt ;;
              "--addr unix:///run/buildkit/buildkitd.sock debug workers -v") cat \(Self.fixtures)/debug-workers-v.txt ;;
              *) echo "error: connection refused" >&2; exit 1 ;;
            esac

            """.write(toFile: bin + "/buildctl", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/buildctl")
        var doctor = Doctor(platforms: [], environment: ["PATH": bin + ":/usr/bin:/bin"])
        doctor.buildkitAddresses = ["unix:///run/buildkit/buildkitd.sock", "tcp://127.0.0.1:1234"]
        let rows = doctor.run().rows.filter { $0.check.hasPrefix("build") }
        #expect(rows.map(\.text) == [
            "✓ buildctl: \(bin)/buildctl: buildctl github.com/moby/buildkit v0.26.3 c70e8e666f8f6ee3c0d83b20c338be5aedeaa97a",
            "✓ builder unix:///run/buildkit/buildkitd.sock: reachable; platforms: linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/amd64/v4, linux/arm64, linux/riscv64, linux/ppc64, linux/ppc64le, linux/s390x, linux/386, linux/loong64, linux/arm/v7, linux/arm/v6",
            "✗ builder tcp://127.0.0.1:1234: not reachable with buildctl debug workers\n    fix: check that buildkitd listens on tcp://127.0.0.1:1234 (buildkitd --addr tcp://127.0.0.1:1234)",
        ])
        // Without buildctl on PATH, a configured builder is a failure with the fix.
        var without = Doctor(platforms: [], environment: ["PATH": "/nonexistent"])
        without.buildkitAddresses = ["tcp://127.0.0.1:1234"]
        #expect(without.run().rows.last?.status == .fail)
    }
}
