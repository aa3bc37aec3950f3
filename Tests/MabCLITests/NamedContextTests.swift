import Foundation
import Testing

/// `FROM NAME` where NAME is a `--build-context`: a directory (the root filesystem), an
/// OCI layout, or another name for an image.
@Suite(.serialized) struct NamedContextTests {
    @Test func fromADirectoryAnOCILayoutAndADockerImage() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        let layout = ws.path("busybox-layout")
        let imported = try ws.mab(["import", "linux/amd64=\(BuildTests.fixtures)/amd64", "linux/arm64=\(BuildTests.fixtures)/arm64",
                                   "-t", "mab/busybox:9", "--output", "type=oci-dir,dest=\(layout)"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(imported.status == 0, "\(imported.stderr)")
        try """
            FROM rootfs AS fromdir
            RUN uname -m > /m
            FROM layout AS fromlayout
            RUN uname -m > /m
            FROM alias
            COPY --from=fromdir /m /dir-m
            COPY --from=fromlayout /m /layout-m
            COPY --from=layout /bin/busybox /copied-busybox

            """.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let out = ws.path("out")
        let args = ["build", ctx, "--platform", "linux/arm64",
                    "--build-context", "rootfs=\(BuildTests.fixtures)/arm64",
                    "--build-context", "layout=oci-layout://\(layout):mab/busybox:9",
                    "--build-context", "alias=docker-image://\(BuildTests.base)"]
        let r = try ws.mab(args + ["--output", "type=oci-dir,dest=\(out)"])
        #expect(r.status == 0, "\(r.stderr)")
        let layers = try #require(try BuildTests().layerBlobs(out).first)
        try #require(layers.count == 4, "\(layers)")
        let build = BuildTests()
        #expect(try build.extract(layers[1], "dir-m") == "aarch64\n")
        #expect(try build.extract(layers[2], "layout-m") == "aarch64\n")
        let busybox = try Data(contentsOf: URL(fileURLWithPath: BuildTests.fixtures + "/arm64/bin/busybox"))
        #expect(try MabProcess.run(executable: "/usr/bin/bsdtar", ["-xOf", layers[3], "copied-busybox"]).stdout.utf8.count > 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: try extractFile(layers[3], "copied-busybox", ws))) == busybox)

        // Cached the second time; a file changed in the directory context reruns its stage.
        let again = try ws.mab(args)
        #expect(again.stderr.contains("(0 steps run, 5 cached)"), "\(again.stderr)")
        let rootfs = ws.path("rootfs")
        _ = try MabProcess.run(executable: "/bin/cp", ["-a", BuildTests.fixtures + "/arm64", rootfs])
        try "changed\n".write(toFile: rootfs + "/etc/extra", atomically: true, encoding: .utf8)
        let changed = try ws.mab(args.map { $0.hasPrefix("rootfs=") ? "rootfs=\(rootfs)" : $0 })
        // The RUN on it, and the final stage from its COPY on; the layout stage stays cached.
        #expect(changed.stderr.contains("(4 steps run, 1 cached)"), "\(changed.stderr)")
    }

    func extractFile(_ blob: String, _ member: String, _ ws: ImportInspectTests.Workspace) throws -> String {
        let dir = ws.path("x-\(member)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-xf", blob, "-C", dir, member])
        return dir + "/" + member
    }
}
