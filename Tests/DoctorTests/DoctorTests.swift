import Doctor
import Foundation
import OCI
import Testing

/// `mab doctor`'s checks on directories shaped like /proc/sys/fs/binfmt_misc (each a
/// variation users meet), and on this machine for real.
@Suite struct DoctorTests {
    static let arm64 = try! Platform(parsing: "linux/arm64")
    static let amd64 = try! Platform(parsing: "linux/amd64")
    /// Debian's registration for aarch64, as the kernel shows it.
    static let magic = "7f454c460201010000000000000000000200b700"
    static let mask = "ffffffffffffff00fffffffffffffffffeffffff"

    /// A binfmt_misc-shaped directory with `entries` (name → text) and a static
    /// interpreter file (the amd64 smoke program, which is a static ELF).
    struct FakeBinfmt {
        let root: String
        let interpreter: String

        init(mounted: Bool = true, status: String = "enabled", _ entries: (String) -> [String: String]) throws {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("mab-binfmt-\(UUID().uuidString)").path
            root = base + "/binfmt_misc"
            interpreter = base + "/qemu-aarch64-static"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileSystem.writeFileAtomically(interpreter, SmokeProgram.elf(architecture: "amd64")!, mode: 0o755)
            if mounted { FileManager.default.createFile(atPath: root + "/register", contents: nil) }
            try (status + "\n").write(toFile: root + "/status", atomically: true, encoding: .utf8)
            for (name, text) in entries(interpreter) { try text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8) }
        }

        func remove() { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }

        func report() -> DoctorReport {
            var doctor = Doctor(platforms: [DoctorTests.arm64], binfmtRoot: root)
            doctor.smoke = false
            return doctor.run()
        }
    }

    static func entry(_ state: String = "enabled", interpreter: String, flags: String = "PF", magic: String = magic, mask: String = mask) -> String {
        "\(state)\ninterpreter \(interpreter)\nflags: \(flags)\noffset 0\nmagic \(magic)\nmask \(mask)\n"
    }

    func rows(_ report: DoctorReport, _ check: String) -> [DoctorRow] { report.rows.filter { $0.check == check } }

    @Test func healthyRegistrationUnderAnUnusualName() throws {
        let fake = try FakeBinfmt { ["arm64-emu": Self.entry(interpreter: $0)] }
        defer { fake.remove() }
        let report = fake.report()
        #expect(report.platforms.map(\.buildable) == [true])
        let row = try #require(rows(report, "registration").first)
        #expect(row.status == .ok)
        #expect(row.seen == "arm64-emu enabled, interpreter \(fake.interpreter) (static), flags PF: P: argv[0] preserved; F: interpreter opened at registration, so it works inside build sandboxes")
    }

    @Test func disabledEntryIsFoundAndTheFixEnablesIt() throws {
        let fake = try FakeBinfmt { ["qemu-aarch64": Self.entry("disabled", interpreter: $0)] }
        defer { fake.remove() }
        let report = fake.report()
        #expect(!report.allBuildable)
        let row = try #require(rows(report, "registration").first)
        #expect(row.text == """
            ✗ linux/arm64 registration: qemu-aarch64 claims linux/arm64 executables but is disabled
                fix: update-binfmts --enable qemu-aarch64    # or: echo 1 > \(fake.root)/qemu-aarch64
            """)
    }

    @Test func entryWithoutFGetsTheRegistrationLineWithF() throws {
        let fake = try FakeBinfmt { ["qemu-aarch64": Self.entry(interpreter: $0, flags: "P")] }
        defer { fake.remove() }
        let report = fake.report()
        #expect(!report.allBuildable)
        let row = try #require(rows(report, "flags").first)
        #expect(row.status == .fail)
        #expect(row.fix == [
            "echo -1 > \(fake.root)/qemu-aarch64",
            "echo ':qemu-aarch64:M:0:\\\\x7f\\\\x45\\\\x4c\\\\x46\\\\x02\\\\x01\\\\x01\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x02\\\\x00\\\\xb7\\\\x00:\\\\xff\\\\xff\\\\xff\\\\xff\\\\xff\\\\xff\\\\xff\\\\x00\\\\xff\\\\xff\\\\xff\\\\xff\\\\xff\\\\xff\\\\xff\\\\xff\\\\xfe\\\\xff\\\\xff\\\\xff:\(fake.interpreter):PF' > \(fake.root)/register",
        ])
    }

    @Test func missingInterpreterWithoutF() throws {
        let fake = try FakeBinfmt { _ in ["qemu-aarch64": Self.entry(interpreter: "/usr/libexec/gone/qemu-aarch64", flags: "")] }
        defer { fake.remove() }
        let report = fake.report()
        let row = try #require(rows(report, "interpreter").first)
        #expect(row.text == """
            ✗ linux/arm64 interpreter: qemu-aarch64: /usr/libexec/gone/qemu-aarch64 does not exist (removed by an upgrade?)
                fix: apt-get install --reinstall qemu-user-static
                fix: update-binfmts --enable qemu-aarch64
            """)
        #expect(!report.allBuildable)
    }

    @Test func dynamicallyLinkedInterpreterFails() throws {
        let fake = try FakeBinfmt { _ in ["qemu-aarch64": Self.entry(interpreter: "/bin/ls")] }
        defer { fake.remove() }
        let row = try #require(rows(fake.report(), "interpreter").first)
        #expect(row.status == .fail)
        #expect(row.seen == "/bin/ls is dynamically linked: inside a build's root its shared libraries are not there")
    }

    @Test func maskThatDoesNotMatchIsNoRegistration() throws {
        // A riscv64 registration (e_machine 0xf3) claims nothing of arm64's.
        let fake = try FakeBinfmt { ["qemu-riscv64": Self.entry(interpreter: $0, magic: "7f454c460201010000000000000000000200f300")] }
        defer { fake.remove() }
        let report = fake.report()
        let row = try #require(rows(report, "registration").first)
        #expect(row.text == """
            ✗ linux/arm64 registration: no binfmt_misc registration claims linux/arm64 ELF executables (1 checked by magic and mask)
                fix: apt-get install qemu-user-static binfmt-support
                fix: update-binfmts --enable qemu-aarch64
            """)
    }

    @Test func garbledFileIsAWarningAndTheOthersStillCount() throws {
        let fake = try FakeBinfmt { ["aaa-broken": "enabled\ninterpreter /x\nmagic zz\n", "qemu-aarch64": Self.entry(interpreter: $0)] }
        defer { fake.remove() }
        let report = fake.report()
        let warn = try #require(rows(report, "binfmt_misc entry aaa-broken").first)
        #expect(warn.status == .warn && warn.seen == "cannot be read (magic is not hex); it is ignored")
        #expect(report.allBuildable)
    }

    @Test func notMountedAndDisabledStatus() throws {
        let unmounted = try FakeBinfmt(mounted: false) { ["qemu-aarch64": Self.entry(interpreter: $0)] }
        defer { unmounted.remove() }
        let r1 = unmounted.report()
        #expect(rows(r1, "binfmt_misc").first?.text == "✗ binfmt_misc: not mounted at \(unmounted.root)\n    fix: mount -t binfmt_misc binfmt_misc \(unmounted.root)")
        #expect(!r1.allBuildable)
        let off = try FakeBinfmt(status: "disabled") { ["qemu-aarch64": Self.entry(interpreter: $0)] }
        defer { off.remove() }
        let r2 = off.report()
        #expect(rows(r2, "binfmt_misc status").first?.fix == ["echo 1 > \(off.root)/status"])
        #expect(!r2.allBuildable)
    }

    @Test func smokeProgramRunsNatively() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-smoke-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let elf = try #require(SmokeProgram.elf(architecture: ELFHeader.hostArchitecture))
        #expect(elf.count < 300)
        try FileSystem.writeFileAtomically(dir + "/smoke", elf, mode: 0o755)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dir + "/smoke")
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 42)
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "mab-smoke-ok\n")
    }

    /// This machine, as CI sets it up: both platforms buildable, the smoke test passing
    /// natively and under emulation, directly and in the sandbox.
    @Test func thisMachineBuildsBothPlatforms() throws {
        let report = Doctor(platforms: [Self.amd64, Self.arm64]).run()
        #expect(report.allBuildable, "\(report.rows.map(\.text).joined(separator: "\n"))")
        let smokes = report.rows.filter { $0.check.hasPrefix("smoke test") }
        #expect(smokes.count == 4 && smokes.allSatisfy { $0.status == .ok }, "\(smokes.map(\.text))")
    }

    /// Program headers that point anywhere (a hostile or truncated interpreter file) give
    /// "unknown", never a crash.
    @Test func elfReaderSurvivesBadOffsets() {
        var elf = SmokeProgram.elf(architecture: "amd64")!
        #expect(ELFHeader.isDynamic(elf) == false)
        for offset in [UInt64.max, UInt64(Int.max), 1 << 40, 60] {
            for i in 0..<8 { elf[32 + i] = UInt8(truncatingIfNeeded: offset >> (8 * UInt64(i))) }
            #expect(ELFHeader.isDynamic(elf) == nil || offset == 60)
        }
        #expect(ELFHeader.isDynamic(Array(elf.prefix(40))) == nil)
    }
}
