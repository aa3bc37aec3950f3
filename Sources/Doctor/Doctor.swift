import BuildKit
import Foundation
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// `mab doctor`: can this machine build the requested platforms? The host, binfmt_misc
/// and the qemu registration of each foreign platform (found by ELF magic and mask), an
/// emulation smoke test run directly and inside the build sandbox, the sandbox itself,
/// and BuildKit when an address is configured. Every row says what was seen; every ✗
/// says what to run to fix it.
public struct Doctor: Sendable {
    /// `linux/amd64`, `linux/arm64`.
    public var platforms: [Platform]
    public var binfmtRoot: String
    /// Run the smoke program (directly and in a sandbox) for every platform.
    public var smoke = true
    /// buildkitd addresses to probe with `buildctl` (from `BUILDKIT_HOST` or the flag).
    /// The BuildKit nodes to check (the builder a build would use).
    public var buildkitNodes: [BuilderNode] = []
    public var environment: [String: String]

    public init(platforms: [Platform], binfmtRoot: String = "/proc/sys/fs/binfmt_misc", environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.platforms = platforms
        self.binfmtRoot = binfmtRoot
        self.environment = environment
    }

    static let qemuNames = ["amd64": "x86_64", "arm64": "aarch64"]

    public func run() -> DoctorReport {
        var rows: [DoctorRow] = []
        let host = ELFHeader.hostArchitecture
        var uts = utsname()
        uname(&uts)
        let kernel = withUnsafeBytes(of: &uts.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        rows.append(DoctorRow("host", .ok, "linux/\(host), kernel \(kernel)"))
        let sandbox = sandboxRows()
        rows += sandbox
        let sandboxOK = !sandbox.contains { $0.status == .fail }
        var verdicts: [DoctorReport.PlatformVerdict] = []
        var table: BinfmtTable?
        for platform in platforms {
            let arch = platform.architecture
            var platformRows: [DoctorRow] = []
            if arch != host {
                let t = table ?? BinfmtTable(root: binfmtRoot)
                if table == nil { rows += tableRows(t) }
                table = t
                platformRows += emulationRows(platform, table: t)
            }
            if smoke && !platformRows.contains(where: { $0.status == .fail }) {
                platformRows += smokeRows(platform, sandboxOK: sandboxOK)
            }
            rows += platformRows
            let failed = platformRows.contains { $0.status == .fail } || (arch != host && (table.map { !$0.mounted || $0.enabled == false } ?? true))
            verdicts.append(.init(platform: platform.description, buildable: !failed && sandboxOK))
        }
        rows += buildkitRows()
        return DoctorReport(hostArchitecture: host, kernel: kernel, rows: rows, platforms: verdicts)
    }

    /// The checks a build runs for a foreign platform before any step: registration and
    /// smoke test. Empty when it can build; else the failing rows.
    public func preflight(_ platform: Platform) -> [DoctorRow] {
        let table = BinfmtTable(root: binfmtRoot)
        var rows = tableRows(table).filter { $0.status == .fail }
        if rows.isEmpty { rows += emulationRows(platform, table: table) }
        if !rows.contains(where: { $0.status == .fail }) { rows += smokeRows(platform, sandboxOK: true) }
        return rows.filter { $0.status == .fail }
    }

    // MARK: binfmt_misc

    func tableRows(_ table: BinfmtTable) -> [DoctorRow] {
        guard table.mounted else {
            return [DoctorRow("binfmt_misc", .fail, "not mounted at \(table.root)", fix: ["mount -t binfmt_misc binfmt_misc \(table.root)"])]
        }
        var rows = [DoctorRow("binfmt_misc", .ok, "mounted at \(table.root), \(table.entries.count) registrations")]
        switch table.enabled {
        case true?: rows.append(DoctorRow("binfmt_misc status", .ok, "enabled"))
        case false?: rows.append(DoctorRow("binfmt_misc status", .fail, "disabled: no registration is used", fix: ["echo 1 > \(table.root)/status"]))
        case nil: rows.append(DoctorRow("binfmt_misc status", .warn, "\(table.root)/status is missing or unreadable"))
        }
        for g in table.garbled {
            guard case .garbled(let name, let reason) = g else { continue }
            rows.append(DoctorRow("binfmt_misc entry \(name)", .warn, "cannot be read (\(reason)); it is ignored", fix: ["echo -1 > \(table.root)/\(name)    # removes it"]))
        }
        return rows
    }

    static func flagMeanings(_ flags: String) -> String {
        var parts: [String] = []
        for f in flags {
            switch f {
            case "F": parts.append("F: interpreter opened at registration, so it works inside build sandboxes")
            case "P": parts.append("P: argv[0] preserved")
            case "C": parts.append("C: credentials from the binary (setuid programs keep their rights)")
            case "O": parts.append("O: binary passed as an open file")
            default: parts.append("\(f): unknown flag")
            }
        }
        return parts.isEmpty ? "no flags" : parts.joined(separator: "; ")
    }

    func emulationRows(_ platform: Platform, table: BinfmtTable) -> [DoctorRow] {
        let arch = platform.architecture
        let p = platform.description
        let qemu = Self.qemuNames[arch] ?? arch
        guard table.mounted, table.enabled != false else { return [] }
        let candidates = table.entries(for: arch)
        guard let entry = candidates.first else {
            return [DoctorRow(
                "registration", platform: p, .fail,
                "no binfmt_misc registration claims \(p) ELF executables (\(table.entries.count) checked by magic and mask)",
                fix: ["apt-get install qemu-user-static binfmt-support", "update-binfmts --enable qemu-\(qemu)"])]
        }
        guard entry.enabled else {
            return [DoctorRow(
                "registration", platform: p, .fail, "\(entry.name) claims \(p) executables but is disabled",
                fix: ["update-binfmts --enable \(entry.name)    # or: echo 1 > \(table.root)/\(entry.name)"])]
        }
        var rows: [DoctorRow] = []
        let reregister = ["echo -1 > \(table.root)/\(entry.name)", "echo '\(entry.registrationWithF)' > \(table.root)/register"]
        let exists = FileSystem.exists(entry.interpreter)
        if !exists && !entry.fixBinary {
            return [DoctorRow(
                "interpreter", platform: p, .fail, "\(entry.name): \(entry.interpreter) does not exist (removed by an upgrade?)",
                fix: ["apt-get install --reinstall qemu-user-static", "update-binfmts --enable \(entry.name)"])]
        }
        var linkage = "static"
        if exists, let head = try? Self.head(of: entry.interpreter), let dynamic = ELFHeader.isDynamic(head), dynamic {
            linkage = "dynamically linked"
        }
        rows.append(DoctorRow(
            "registration", platform: p, .ok,
            "\(entry.name) enabled, interpreter \(entry.interpreter) (\(exists ? linkage : "gone from disk, kept open by F")), flags \(entry.flags.isEmpty ? "-" : entry.flags): \(Self.flagMeanings(entry.flags))"))
        if !exists {
            rows.append(DoctorRow(
                "interpreter", platform: p, .warn,
                "\(entry.interpreter) was removed after registration; F keeps the old file open until the registration is renewed",
                fix: ["apt-get install --reinstall qemu-user-static", "update-binfmts --disable \(entry.name) && update-binfmts --enable \(entry.name)"]))
        }
        if linkage != "static" {
            rows.append(DoctorRow(
                "interpreter", platform: p, .fail,
                "\(entry.interpreter) is dynamically linked: inside a build's root its shared libraries are not there",
                fix: ["apt-get install qemu-user-static binfmt-support    # statically linked interpreters", "update-binfmts --enable qemu-\(qemu)"]))
        }
        if !entry.fixBinary {
            rows.append(DoctorRow(
                "flags", platform: p, .fail,
                "\(entry.name) has no F flag: the kernel looks for \(entry.interpreter) inside the build's root when a program starts, and it is not there",
                fix: reregister))
        }
        if exists {
            let real = (try? FileManager.default.destinationOfSymbolicLink(atPath: entry.interpreter)).map {
                $0.hasPrefix("/") ? $0 : ((entry.interpreter as NSString).deletingLastPathComponent as NSString).appendingPathComponent($0)
            } ?? entry.interpreter
            if let v = ToolRun.run(real, ["--version"]), v.status == 0, let line = v.stdout.split(separator: "\n").first {
                rows.append(DoctorRow("emulator", platform: p, .ok, String(line)))
            } else {
                rows.append(DoctorRow("emulator", platform: p, .warn, "\(real) --version gave no version"))
            }
        }
        return rows
    }

    static func head(of path: String) throws -> [UInt8] {
        let fd = try FileSystem.open(path, O_RDONLY)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
        return n > 0 ? Array(buffer.prefix(n)) : []
    }

    // MARK: smoke test

    func smokeRows(_ platform: Platform, sandboxOK: Bool) -> [DoctorRow] {
        let p = platform.description
        guard let elf = SmokeProgram.elf(architecture: platform.architecture) else {
            return [DoctorRow("smoke test", platform: p, .fail, "no smoke program for \(platform.architecture)")]
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-doctor-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try FileSystem.makeDirectories(dir)
            try FileSystem.writeFileAtomically(dir + "/smoke", elf, mode: 0o755)
        } catch {
            return [DoctorRow("smoke test", platform: p, .fail, "cannot write the smoke program: \(error)")]
        }
        let fix = ["apt-get install --reinstall qemu-user-static", "update-binfmts --enable qemu-\(Self.qemuNames[platform.architecture] ?? platform.architecture)"]
        func verdict(_ where_: String, _ r: ToolRun?) -> DoctorRow {
            guard let r else { return DoctorRow("smoke test (\(where_))", platform: p, .fail, "could not start", fix: fix) }
            if r.timedOut { return DoctorRow("smoke test (\(where_))", platform: p, .fail, "hung and was killed after \(Int(ToolRun.defaultTimeout)) s", fix: fix) }
            if r.status == SmokeProgram.expectedStatus && r.stdout == SmokeProgram.expectedOutput {
                return DoctorRow("smoke test (\(where_))", platform: p, .ok, "printed mab-smoke-ok, exit status 42")
            }
            let said = (r.stdout + r.stderr).split(separator: "\n").first.map { ": \($0)" } ?? ""
            return DoctorRow("smoke test (\(where_))", platform: p, .fail, "exit status \(r.status)\(said)", fix: fix)
        }
        var rows = [verdict("direct", ToolRun.run(dir + "/smoke", []))]
        if sandboxOK, let bwrap = ToolRun.which("bwrap", environment: environment) {
            rows.append(verdict("in the build sandbox", ToolRun.run(bwrap, ["--bind", dir, "/", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--", "/smoke"])))
        }
        return rows
    }

    // MARK: sandbox

    func sandboxRows() -> [DoctorRow] {
        var rows: [DoctorRow] = []
        guard let bwrap = ToolRun.which("bwrap", environment: environment) else {
            return [DoctorRow("sandbox", .fail, "bubblewrap (bwrap) is not installed", fix: ["apt-get install bubblewrap"])]
        }
        let version = ToolRun.run(bwrap, ["--version"])?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? "bwrap"
        let probe = ToolRun.run(bwrap, ["--ro-bind", "/", "/", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--", "/bin/true"])
        if let probe, probe.status == 0 {
            rows.append(DoctorRow("sandbox", .ok, "\(version) at \(bwrap) creates pid, ipc, uts and network namespaces"))
        } else {
            rows.append(DoctorRow(
                "sandbox", .fail, "\(bwrap) cannot create namespaces: \(probe?.stderr.trimmingCharacters(in: .whitespacesAndNewlines) ?? "did not start")",
                fix: ["sysctl -w kernel.unprivileged_userns_clone=1    # if mab does not run as root", "run mab as root"]))
        }
        if geteuid() == 0 {
            rows.append(overlayRow())
        } else {
            rows.append(DoctorRow("privileges", .warn, "not root (uid \(geteuid())): RUN steps need root for overlayfs and namespaces; builds whose steps only COPY work", fix: ["sudo mab build …"]))
        }
        return rows
    }

    func overlayRow() -> DoctorRow {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-doctor-ovl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for d in ["lower", "upper", "work", "merged"] { try? FileSystem.makeDirectories(dir + "/" + d) }
        if mount("overlay", dir + "/merged", "overlay", 0, "lowerdir=\(dir)/lower,upperdir=\(dir)/upper,workdir=\(dir)/work") == 0 {
            umount2(dir + "/merged", 0)
            return DoctorRow("overlayfs", .ok, "mounts (running as root)")
        }
        let reason = String(cString: strerror(errno))
        return DoctorRow("overlayfs", .fail, "cannot mount: \(reason)", fix: ["modprobe overlay"])
    }

    // MARK: BuildKit

    /// The selected builder's nodes, asked as a build asks them (`Buildctl.probe`), and
    /// which node would build each requested platform.
    func buildkitRows() -> [DoctorRow] {
        guard !buildkitNodes.isEmpty else {
            return [DoctorRow("buildkit", .ok, "no builder selected (--builder, BUILDKIT_HOST, mab builder use): the native executor builds")]
        }
        let buildctl: Buildctl
        do { buildctl = try Buildctl.locate(environment: environment) } catch {
            return [DoctorRow("buildkit", .fail, "\(error)", fix: ["install buildctl from a BuildKit release (github.com/moby/buildkit/releases) into /usr/local/bin"])]
        }
        var rows: [DoctorRow] = []
        let version = ToolRun.run(buildctl.path, ["--version"])?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        rows.append(DoctorRow("buildctl", .ok, "\(buildctl.path): \(version)"))
        var reachable: [NodeCapabilities] = []
        for node in buildkitNodes {
            let label = "builder node \(node.name) (\(node.address))"
            do {
                let caps = try buildctl.probe(node, timeout: ToolRun.defaultTimeout)
                reachable.append(caps)
                rows.append(DoctorRow(label, .ok, "BuildKit \(caps.version ?? "?"); native: \(caps.native.map(\.description).joined(separator: ", ")); platforms: \(caps.reported.map(\.description).joined(separator: ", "))"))
            } catch let error as BuilderError {
                let fix: [String]
                switch error {
                case .tlsFile, .tlsIncomplete, .tlsRejected: fix = ["mab builder create NAME \(node.address) --tlscacert CA.pem --tlscert CLIENT.pem --tlskey CLIENT-KEY.pem"]
                default: fix = ["check that buildkitd listens on \(node.address) (buildkitd --addr \(node.address))"]
                }
                rows.append(DoctorRow(label, .fail, "\(error)", fix: fix))
            } catch {
                rows.append(DoctorRow(label, .fail, "\(error)"))
            }
        }
        guard !platforms.isEmpty, !reachable.isEmpty else { return rows }
        do {
            let assignments = try PlatformScheduler.assign(platforms, to: reachable)
            let text = assignments.flatMap { a in a.platforms.map { "\($0) on \(a.node.name)" + (a.emulated.contains($0) ? " (emulated)" : "") } }
            rows.append(DoctorRow("builder schedule", .ok, text.joined(separator: ", ")))
        } catch {
            rows.append(DoctorRow("builder schedule", .fail, "\(error)"))
        }
        return rows
    }
}
