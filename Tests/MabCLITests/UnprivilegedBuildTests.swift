import Foundation
import Testing

/// `mab build` without root: COPY-only builds work (stages read from snapshots instead of
/// overlay mounts); a RUN stops the build before anything runs, naming its line.
@Suite(.serialized) struct UnprivilegedBuildTests {
    @Test func copyOnlyBuildsWorkAndRunIsRefusedUpFront() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-nonroot-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/ctx", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: MabProcess.executable.path, toPath: dir + "/mab")
        try "hi\n".write(toFile: dir + "/ctx/a.txt", atomically: true, encoding: .utf8)
        try "FROM scratch AS s\nCOPY a.txt /a\nFROM scratch\nCOPY --from=s /a /b\nCOPY a.txt /c\n".write(toFile: dir + "/ctx/Dockerfile", atomically: true, encoding: .utf8)
        _ = try MabProcess.run(executable: "/bin/chmod", ["-R", "a+rwX", dir])
        func asNobody() throws -> MabProcess.Result {
            try MabProcess.run(executable: "/usr/bin/setpriv", [
                "--reuid=65534", "--regid=65534", "--clear-groups", "env", "MAB_HOME=\(dir)/home", "SOURCE_DATE_EPOCH=1", dir + "/mab", "build", dir + "/ctx",
                "--progress", "plain", "--output", "type=oci-dir,dest=\(dir)/out",
            ])
        }
        let copyOnly = try asNobody()
        #expect(copyOnly.status == 0, "\(copyOnly.stderr)")
        #expect(copyOnly.stderr.contains("(3 steps run, 0 cached)"), "\(copyOnly.stderr)")
        let layers = try #require(try BuildTests().layerBlobs(dir + "/out").first)
        #expect(try BuildTests().extract(layers[0], "b") == "hi\n")
        try "FROM scratch\nCOPY a.txt /a\nRUN true\n".write(toFile: dir + "/ctx/Dockerfile", atomically: true, encoding: .utf8)
        let run = try asNobody()
        #expect(run.status == 1)
        #expect(run.stderr == "mab: error: \(dir)/ctx/Dockerfile:3: RUN needs root (overlayfs mounts and namespaces): run mab as root; builds whose steps only COPY work without it\n")
    }
}
