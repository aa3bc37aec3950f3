import Foundation
import Testing

/// `mab import`, `mab inspect` and `mab store` through the real binary, checked with
/// independent tools (skopeo, umoci, bsdtar).
@Suite(.serialized) struct ImportInspectTests {
    struct Workspace {
        let dir: URL
        var home: String { dir.appendingPathComponent("home").path }
        func path(_ rel: String) -> String { dir.appendingPathComponent(rel).path }

        init() throws { dir = try MabProcess.temporaryDirectory() }

        func remove() { try? FileManager.default.removeItem(at: dir) }

        /// A small root filesystem with fixed modes and times.
        func rootfs(_ name: String, marker: String) throws -> String {
            let root = path(name)
            let fm = FileManager.default
            try fm.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
            try "#!/bin/sh\necho \(marker)\n".write(toFile: root + "/bin/hello", atomically: false, encoding: .utf8)
            try "root:x:0:0:root:/root:/bin/sh\n".write(toFile: root + "/etc/passwd", atomically: false, encoding: .utf8)
            try fm.createSymbolicLink(atPath: root + "/bin/sh", withDestinationPath: "hello")
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/bin/hello")
            try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: root + "/etc/passwd")
            try touch(root, 1_700_000_000)
            return root
        }

        /// Sets every mtime in the tree, symlinks included (`touch -h`).
        func touch(_ root: String, _ seconds: Int) throws {
            let paths = (FileManager.default.subpaths(atPath: root) ?? []).sorted().reversed().map { root + "/" + $0 } + [root]
            let r = try MabProcess.run(executable: "/usr/bin/touch", ["-h", "-d", "@\(seconds)"] + paths)
            guard r.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        }

        func mab(_ args: [String], environment: [String: String] = [:]) throws -> MabProcess.Result {
            try MabProcess.run(args, environment: ["MAB_HOME": home].merging(environment) { $1 })
        }
    }

    static func tool(_ path: String, _ args: [String]) throws -> MabProcess.Result {
        try MabProcess.run(executable: path, args)
    }

    @Test func importIsDeterministicAndPinned() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let amd = try ws.rootfs("amd64", marker: "amd64")
        let arm = try ws.rootfs("arm64", marker: "arm64")
        let args = ["import", "linux/amd64=\(amd)", "linux/arm64=\(arm)", "-t", "test/base:1"]
        let first = try ws.mab(args)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try ws.mab(args + ["--home", ws.path("home2")])
        #expect(again.stdout == first.stdout)
        #expect(first.stdout == "sha256:e1348d338507589302c7da3fa5d28af2ede8dc667c8b536fdaa597142cc6de2f\n")

        // With SOURCE_DATE_EPOCH, touching every file changes nothing.
        let sde = ["SOURCE_DATE_EPOCH": "1600000000"]
        let clamped = try ws.mab(args, environment: sde)
        try ws.touch(amd, 1_800_000_000)
        try ws.touch(arm, 1_800_000_000)
        let touched = try ws.mab(args, environment: sde)
        #expect(clamped.status == 0 && touched.status == 0)
        #expect(touched.stdout == clamped.stdout)
        #expect(clamped.stdout == "sha256:52b59ab44232b563165737accf50d190af59e916f2d622d9d419121d525598ae\n")
        let unclamped = try ws.mab(args)
        #expect(unclamped.stdout != first.stdout)
    }
}
