import Foundation
import Testing
@testable import Executor
import OCI

/// The sandbox init program for both architectures: the AArch64 one (used on arm64 hosts)
/// runs here under qemu-user, the x86_64 one natively, each started by bubblewrap as a RUN
/// is. qemu-user refuses PR_SET_SECCOMP for its guests, so the filter step is left out;
/// the mount, capability, user and exec steps and the failure messages are checked.
@Suite struct SandboxInitTests {
    static let fixtures = StepRunnerTests.fixtures

    func run(_ work: SandboxInit, machine: UInt16, _ argv: [String]) throws -> (status: Int32, output: String) {
        let dir = try FileSystem.makeTemporaryDirectory(in: FileManager.default.temporaryDirectory.path, prefix: "init-test")
        defer { try? FileSystem.removeTree(dir) }
        let program = try #require(work.program(machine: machine))
        try FileSystem.writeFileAtomically(dir + "/init", program, mode: 0o755)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Sandbox.bwrapPath())
        process.arguments = ["--bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--die-with-parent", "--", dir + "/init"] + argv
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(arguments: [("amd64", UInt16(0x3e)), ("arm64", UInt16(0xb7))])
    func dropsCapabilitiesSwitchesUserAndMounts(_ arch: String, _ machine: UInt16) throws {
        let busybox = Self.fixtures + "/\(arch)/bin/busybox"
        try #require(FileManager.default.fileExists(atPath: busybox), "run scripts/busybox-rootfs.sh")
        let target = try FileSystem.makeTemporaryDirectory(in: FileManager.default.temporaryDirectory.path, prefix: "init-mount")
        defer { try? FileSystem.removeTree(target) }
        var work = SandboxInit(command: busybox)
        work.mounts = [.init(source: "tmpfs", target: target, type: "tmpfs", flags: SandboxInit.MS_NOSUID, data: "size=1m")]
        work.capabilities = .containerDefault
        work.user = .init(uid: 65534, gid: 65533, groups: [65533, 100])
        let script = "grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status; id -u; id -g; id -G; grep -c ' \(target) ' /proc/self/mountinfo"
        let r = try run(work, machine: machine, [busybox, "sh", "-c", script])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output == """
            CapInh:\t0000000000000000
            CapPrm:\t0000000000000000
            CapEff:\t0000000000000000
            CapBnd:\t00000000a80425fb
            CapAmb:\t0000000000000000
            65534
            65533
            65533 100
            1

            """)
        // Root keeps the set in effective, permitted and bounding.
        work.user = nil
        let root = try run(work, machine: machine, [busybox, "grep", "-E", "^Cap(Prm|Eff|Bnd)", "/proc/self/status"])
        #expect(root.output == "CapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n")
    }

    @Test(arguments: [UInt16(0x3e), UInt16(0xb7)])
    func failuresSayWhatFailed(_ machine: UInt16) throws {
        let missing = SandboxInit(command: "/no/such/tool")
        let r = try run(missing, machine: machine, ["/no/such/tool", "arg"])
        #expect(r.status == 127)
        #expect(r.output == "mab: cannot execute /no/such/tool: not found in the image, not executable, or its interpreter is missing\n")
        var badMount = SandboxInit(command: "/bin/true")
        badMount.mounts = [.init(source: "none", target: "/proc", type: "no-such-filesystem", flags: 0)]
        let m = try run(badMount, machine: machine, ["/bin/true"])
        #expect(m.status == 126)
        #expect(m.output == "mab: sandbox: making the /proc, /sys and /dev mounts failed\n")
    }
}
