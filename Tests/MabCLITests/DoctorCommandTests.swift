import Foundation
import Testing

/// `mab doctor` as a command: text rows, exit status, JSON, and `mab build` stopping on
/// the doctor's row before any step runs.
@Suite struct DoctorCommandTests {
    /// A binfmt_misc-shaped directory whose only aarch64 entry is disabled.
    func disabledRoot(_ ws: ImportInspectTests.Workspace) throws -> String {
        let root = ws.path("binfmt_misc")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root + "/register", contents: nil)
        try "enabled\n".write(toFile: root + "/status", atomically: true, encoding: .utf8)
        try """
            disabled
            interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
            flags: PF
            offset 0
            magic 7f454c460201010000000000000000000200b700
            mask ffffffffffffff00fffffffffffffffffeffffff

            """.write(toFile: root + "/qemu-aarch64", atomically: true, encoding: .utf8)
        return root
    }

    @Test func thisMachineIsHealthyInTextAndJSON() throws {
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let text = try ws.mab(["doctor"])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.hasSuffix("linux/amd64: can be built here\nlinux/arm64: can be built here\n"), "\(text.stdout)")
        #expect(text.stdout.contains("✓ linux/arm64 smoke test (in the build sandbox): printed mab-smoke-ok, exit status 42"))
        let json = try ws.mab(["doctor", "--platform", "arm64", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let verdicts = try #require(object["platforms"] as? [[String: Any]])
        #expect(verdicts.count == 1 && verdicts[0]["platform"] as? String == "linux/arm64" && verdicts[0]["buildable"] as? Bool == true)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.contains { $0["check"] as? String == "registration" && $0["status"] as? String == "ok" })
    }

    /// The confinement rows say what a RUN holds, seen from inside a sandbox: here, root in CI.
    @Test func confinementRowsShowWhatARunHolds() throws {
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let r = try ws.mab(["doctor", "--platform", "amd64"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(
            "✓ sandbox capabilities: a root RUN has effective = permitted = bounding 00000000a80425fb (CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP), no inheritable or ambient ones; a non-root USER only the bounding set — Docker's and BuildKit's default set\n"),
            "\(r.stdout)")
        let arches = ELFHostArches.current
        #expect(r.stdout.contains("✓ sandbox seccomp: Docker's default profile (as BuildKit gives RUN), ") && r.stdout.contains(" BPF instructions for \(arches); a RUN runs in filter mode\n"))
        let seccomp = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("✓ sandbox seccomp") })
        #expect(Int(seccomp.split(separator: " ").first { Int($0) != nil } ?? "") ?? 0 > 500, "a real filter, not an empty one")
        #expect(r.stdout.contains("✓ sandbox /proc and /sys: read-only: /proc/bus, /proc/fs, /proc/irq, /proc/sys, "))
        #expect(r.stdout.contains("✓ sandbox no_new_privs: set (bubblewrap always sets it; BuildKit's RUN has it unset)"))
    }

    @Test func disabledRegistrationFailsTheDoctorAndTheBuild() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let root = try disabledRoot(ws)
        let r = try ws.mab(["doctor", "--platform", "linux/arm64", "--binfmt-root", root])
        #expect(r.status == 1)
        #expect(r.stdout.contains("""
            ✗ linux/arm64 registration: qemu-aarch64 claims linux/arm64 executables but is disabled
                fix: update-binfmts --enable qemu-aarch64    # or: echo 1 > \(root)/qemu-aarch64
            """), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("linux/arm64: cannot be built here\n"))
        // The build stops before any step, with the doctor's row.
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "FROM \(BuildTests.base)\nRUN true\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let build = try ws.mab(["build", ctx, "--platform", "linux/arm64", "--binfmt-root", root, "--progress", "plain"])
        #expect(build.status == 1)
        #expect(build.stderr == """
            mab: error: \(ctx)/Dockerfile:2: RUN for linux/arm64 cannot run on this machine (mab doctor --platform linux/arm64 shows every check):
            ✗ linux/arm64 registration: qemu-aarch64 claims linux/arm64 executables but is disabled
                fix: update-binfmts --enable qemu-aarch64    # or: echo 1 > \(root)/qemu-aarch64

            """, "\(build.stderr)")
    }

    @Test func credentialsAreCheckedNeverPrinted() throws {
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let config = ws.path("docker")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        // "user:s3cret-password" in base64.
        try #"{"auths":{"registry.example.invalid":{"auth":"dXNlcjpzM2NyZXQtcGFzc3dvcmQ="}}}"#.write(toFile: config + "/config.json", atomically: true, encoding: .utf8)
        let r = try ws.mab(["doctor", "--platform", "linux/amd64", "-t", "registry.example.invalid/app:1", "-t", "other.example.invalid/x", "--format", "json"],
                           environment: ["DOCKER_CONFIG": config])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("s3cret") && !r.stdout.contains("dXNlcjpzM2NyZXQtcGFzc3dvcmQ="))
        #expect(r.stdout.contains("\"check\" : \"registry registry.example.invalid\""))
        #expect(r.stdout.contains("\"seen\" : \"credentials configured (docker config.json)\""))
        #expect(r.stdout.contains("\"seen\" : \"no credentials: pulls and pushes are anonymous\""))
    }
}

/// The libseccomp architectures of the host, as the doctor names them.
enum ELFHostArches {
    static var current: String {
        #if arch(x86_64)
        return "x86_64, x86, x32"
        #else
        return "aarch64, arm"
        #endif
    }
}
