import Foundation
import Testing

/// The RUN sandbox is a security boundary: a hostile recipe tries every way out of it on
/// both platforms (arm64 under qemu-user, whose emulator runs under the host's filter), and
/// each must fail with nothing changed on the host. The probes test whether a way out
/// exists — mount in the sandbox's own namespace, open a device read-only, make a syscall
/// with arguments that would do nothing — and never use one. What a RUN's Cap lines say
/// is compared with BuildKit v0.26.3's, recorded (Fixtures/buildkit-sandbox/README.md).
@Suite(.serialized) struct SandboxConfinementTests {
    static let recorded = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/buildkit-sandbox").path

    /// The capability and seccomp lines of a /proc/PID/status text.
    static func confinementLines(_ status: String) -> [String] {
        status.split(separator: "\n").map(String.init).filter {
            ["CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:", "Seccomp:", "Seccomp_filters:"].contains(where: $0.hasPrefix)
        }
    }

    /// Every entry of the host's binfmt_misc directory with its content.
    static func binfmtState() throws -> [String: String] {
        let dir = "/proc/sys/fs/binfmt_misc"
        var state: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name != "register" {
            state[name] = (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "<unreadable>"
        }
        return state
    }

    /// A file the build wrote, from the newest layer (of the report's first image) that has it.
    static func built(_ member: String, report: String, home: String) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let layers = try #require((json?["images"] as? [[String: Any]])?.first?["layers"] as? [[String: Any]])
        for layer in layers.reversed() {
            let digest = try #require(layer["digest"] as? String).dropFirst(7)
            let r = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-xOf", home + "/blobs/sha256/\(digest)", member])
            if r.status == 0 { return r.stdout }
        }
        Issue.record("no layer holds \(member)")
        return ""
    }

    /// The probes' syscalls and arguments, with the errno each must get: EPERM from the
    /// filter (or the missing capability), ENOSYS for clone3 (so libc falls back to clone,
    /// as under Docker's profile), ESRCH for a process outside the sandbox's pid namespace.
    static func syscallProbes(hostPID: Int32) -> [(probe: SyscallProbe, errno: Int)] {
        let minus3 = UInt64(bitPattern: -3), minus1 = UInt64(bitPattern: -1)
        return [
            (SyscallProbe(name: "keyctl", arguments: [0, minus3, 0]), 1),
            (SyscallProbe(name: "add_key", arguments: []), 1),
            (SyscallProbe(name: "request_key", arguments: []), 1),
            (SyscallProbe(name: "init_module", arguments: []), 1),
            (SyscallProbe(name: "finit_module", arguments: [minus1]), 1),
            (SyscallProbe(name: "delete_module", arguments: []), 1),
            (SyscallProbe(name: "kexec_load", arguments: []), 1),
            (SyscallProbe(name: "bpf", arguments: []), 1),
            (SyscallProbe(name: "perf_event_open", arguments: [0, 0, minus1, minus1, 0]), 1),
            (SyscallProbe(name: "unshare", arguments: [0x1000_0000]), 1),
            (SyscallProbe(name: "setns", arguments: [minus1, 0]), 1),
            (SyscallProbe(name: "mount", arguments: []), 1),
            (SyscallProbe(name: "umount2", arguments: []), 1),
            (SyscallProbe(name: "clone3", arguments: []), 38),
            (SyscallProbe(name: "open_by_handle_at", arguments: [minus1]), 1),
            (SyscallProbe(name: "ptrace", arguments: [16, UInt64(hostPID)]), 3),
            (SyscallProbe(name: "personality", arguments: [0x40_0000]), 1),
            (SyscallProbe(name: "socket", arguments: [40, 1, 0]), 1),
        ]
    }

    /// What an arm64 probe gets from qemu-user 7.2 itself, before any host syscall: ENOSYS
    /// for syscalls it does not emulate for a guest, EFAULT where it reads the NULL
    /// arguments first. The filter's hold on the emulator shows in the probes qemu forwards
    /// (unshare, setns, socket, personality; busybox's mount and unshare).
    static let underQEMU = [
        "add_key": 38, "bpf": 38, "delete_module": 38, "finit_module": 38, "init_module": 38, "kexec_load": 38, "keyctl": 38,
        "perf_event_open": 38, "ptrace": 38, "request_key": 38, "mount": 14, "umount2": 14, "open_by_handle_at": 14,
    ]

    @Test(arguments: [("linux/amd64", "amd64"), ("linux/arm64", "arm64")])
    func hostileRecipeFindsNoWayOut(_ platform: String, _ arch: String) throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        let fm = FileManager.default
        try fm.createDirectory(atPath: ctx + "/probes", withIntermediateDirectories: true)
        // A process of the host for the ptrace probe: the sandbox must not even see it.
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["300"]
        try sleeper.run()
        // SIGKILL: the test runner's children may inherit an ignored SIGTERM.
        defer { kill(sleeper.processIdentifier, SIGKILL); sleeper.waitUntilExit() }
        let probes = Self.syscallProbes(hostPID: sleeper.processIdentifier)
        for (probe, _) in probes {
            fm.createFile(atPath: ctx + "/probes/" + probe.name, contents: Data(probe.program(architecture: arch)), attributes: [.posixPermissions: 0o755])
        }
        // The device of the host's root filesystem, to mknod and try to read.
        var st = stat()
        #expect(stat("/", &st) == 0)
        let major = (st.st_dev >> 8) & 0xfff | ((st.st_dev >> 32) & ~0xfff), minor = (st.st_dev & 0xff) | ((st.st_dev >> 12) & ~0xff)
        try "TOKEN=do-not-leak\n".write(toFile: ctx + "/secret.env", atomically: true, encoding: .utf8)
        try "secret.env\n".write(toFile: ctx + "/.dockerignore", atomically: true, encoding: .utf8)
        let script = """
            p() { n=$1; shift; "$@" >/dev/null 2>&1; echo "$n $?"; }
            masked() { grep -q " $1 " /proc/self/mountinfo; }
            isreadonly() { grep " $1 " /proc/self/mountinfo | grep -q " ro,"; }
            p mount-binfmt_misc mount -t binfmt_misc none /tmp
            p remount-proc-sys-rw mount -o remount,rw /proc/sys
            p write-proc-sys sh -c 'echo mab > /proc/sys/kernel/domainname'
            p unshare-user unshare -U true
            p unshare-mount unshare -m true
            p mknod-disk-tmp mknod /tmp/disk b \(major) \(minor)
            p read-disk-tmp head -c 512 /tmp/disk
            p mknod-disk-root mknod /disk b \(major) \(minor)
            p read-disk-root head -c 512 /disk
            rm -f /disk
            p kill-host-process kill -0 \(sleeper.processIdentifier)
            p host-process-visible test -e /proc/\(sleeper.processIdentifier)
            for path in /proc/sys /proc/irq /proc/bus /proc/fs /proc/sysrq-trigger /sys; do p "read-only $path" isreadonly $path; done
            for path in /proc/keys /proc/timer_list /proc/acpi /sys/firmware; do p "masked $path" masked $path; done
            p context-through-bind test -e /ctx/Dockerfile
            p ignored-file-through-bind test -e /ctx/secret.env
            for probe in /probes/*; do p "syscall ${probe#/probes/}" $probe; done

            """
        try script.write(toFile: ctx + "/probe.sh", atomically: true, encoding: .utf8)
        try """
            FROM \(BuildTests.base)
            COPY probes/ /probes/
            COPY probe.sh /
            RUN mkdir -m 777 /out && cat /proc/self/status > /out/status-root
            RUN --mount=type=bind,target=/ctx sh /probe.sh > /out/probes 2>&1
            USER 1000:1000
            RUN cat /proc/self/status > /out/status-user

            """.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let before = try Self.binfmtState()
        let r = try ws.mab(["build", ctx, "--platform", platform, "--no-cache", "--report", ws.path("report.json")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.binfmtState() == before, "the host's binfmt_misc registrations are unchanged")

        let expected = [
            "mount-binfmt_misc 1", "remount-proc-sys-rw 1", "write-proc-sys 1",
            "unshare-user 1", "unshare-mount 1", "mknod-disk-tmp 0", "read-disk-tmp 1", "mknod-disk-root 0", "read-disk-root 1",
            "kill-host-process 1", "host-process-visible 1",
        ] + ["/proc/sys", "/proc/irq", "/proc/bus", "/proc/fs", "/proc/sysrq-trigger", "/sys"].map { path in
            // A path the kernel does not have is not there to protect (this VM has no sysrq, no ACPI).
            "read-only \(path) \(FileManager.default.fileExists(atPath: path) ? 0 : 1)"
        } + ["/proc/keys", "/proc/timer_list", "/proc/acpi", "/sys/firmware"].map { path in
            "masked \(path) \(FileManager.default.fileExists(atPath: path) ? 0 : 1)"
        } + [
            "context-through-bind 0", "ignored-file-through-bind 1",
        ] + probes.sorted { $0.probe.name < $1.probe.name }.map { "syscall \($0.probe.name) \(arch == "arm64" ? Self.underQEMU[$0.probe.name] ?? $0.errno : $0.errno)" }
        let report = ws.path("report.json")
        let got = try Self.built("out/probes", report: report, home: ws.home).split(separator: "\n").map(String.init)
        #expect(got == expected)
        for (file, recorded) in [("out/status-root", "status-root.txt"), ("out/status-user", "status-user.txt")] {
            let mine = try Self.built(file, report: report, home: ws.home)
            let theirs = try String(contentsOfFile: "\(Self.recorded)/\(arch)/\(recorded)", encoding: .utf8)
            #expect(Self.confinementLines(mine) == Self.confinementLines(theirs), "\(file) against BuildKit's \(recorded)")
            // The one documented difference: bubblewrap always sets no_new_privs.
            #expect(mine.contains("NoNewPrivs:\t1\n") && theirs.contains("NoNewPrivs:\t0\n"))
        }
    }

    @Test func insecureNeedsTheEntitlementAndThenGetsEveryCapability() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("""
            FROM \(BuildTests.base)
            RUN echo ordinary
            RUN --security=insecure cat /proc/self/status > /status

            """)
        let refused = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--progress", "plain"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains(
            "\(ctx)/Dockerfile:3: error: RUN --security=insecure needs the security.insecure entitlement, which this build was not started with: add --allow security.insecure to mab build (only for recipes you trust)"),
            "\(refused.stderr)")
        #expect(!refused.stderr.contains("ordinary"), "refused before anything runs")

        let unknown = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--allow", "security.unsafe"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("--allow security.unsafe: unknown entitlement (use security.insecure or network.host)"), "\(unknown.stderr)")

        let allowed = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--allow", "security.insecure", "--report", ws.path("report.json")])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let status = try Self.built("status", report: ws.path("report.json"), home: ws.home)
        // Every capability mab itself has, in every set, and no filter: BuildKit's insecure
        // RUN on the recording machine had the host's whole bounding set in all five.
        let own = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let bounding = try #require(own.split(separator: "\n").first { $0.hasPrefix("CapBnd:") }).dropFirst(7).trimmingCharacters(in: .whitespaces)
        #expect(Self.confinementLines(status) == ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"].map { "\($0):\t\(bounding)" } + ["Seccomp:\t0", "Seccomp_filters:\t0"])
        let recorded = try String(contentsOfFile: Self.recorded + "/amd64/status-insecure.txt", encoding: .utf8)
        #expect(Self.confinementLines(recorded).prefix(5).allSatisfy { $0.hasSuffix("\t000001fffeffffff") })
    }

    @Test func hostNetworkNeedsItsEntitlement() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN --network=host true\n")
        let refused = try ws.mab(["build", ctx, "--platform", "linux/amd64"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("\(ctx)/Dockerfile:2: error: RUN --network=host needs the network.host entitlement"), "\(refused.stderr)")
        let allowed = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--allow", "network.host"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }
}
