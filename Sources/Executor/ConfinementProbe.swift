import Doctor
import Foundation
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// What a RUN's sandbox really holds, seen from inside one: `mab doctor`'s confinement rows.
/// A sandbox with the build's confinement reads its own /proc/self/status and mountinfo
/// (the host's /usr bound read-only for `cat`).
public enum ConfinementProbe {
    public static func rows() -> [DoctorRow] {
        guard geteuid() == 0 else {
            return [DoctorRow("sandbox confinement", .warn, "not checked: RUN steps need root (mab doctor as root shows what they get)")]
        }
        let confinement: Confinement
        do { confinement = try Confinement.sandbox() } catch {
            return [DoctorRow("sandbox seccomp", .fail, "\(error)", fix: ["apt-get install libseccomp2"])]
        }
        let seen: String
        do { seen = try look(confinement) } catch {
            return [DoctorRow("sandbox confinement", .fail, "a probe sandbox did not run: \(error)", fix: ["apt-get install bubblewrap"])]
        }
        return rows(status: seen, confinement: confinement)
    }

    /// Runs `cat /proc/self/status /proc/self/mountinfo` in a sandbox with `confinement`.
    static func look(_ confinement: Confinement) throws -> String {
        let root = try FileSystem.makeTemporaryDirectory(in: FileManager.default.temporaryDirectory.path, prefix: "mab-probe")
        defer { try? FileSystem.removeTree(root) }
        var mounts: [SandboxMount] = []
        for dir in ["usr", "bin", "lib", "lib64", "proc", "dev", "sys", "tmp"] {
            var st = stat()
            if lstat("/" + dir, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK {
                try FileManager.default.createSymbolicLink(atPath: root + "/" + dir, withDestinationPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/" + dir))
                continue
            }
            try FileSystem.makeDirectories(root + "/" + dir)
            if ["usr", "bin", "lib", "lib64"].contains(dir) && FileSystem.exists("/" + dir) { mounts.append(.bind(source: "/" + dir, target: "/" + dir, readOnly: true)) }
        }
        var box = Sandbox(root: root, environment: ["PATH": "/usr/bin:/bin"], network: .none, confinement: confinement)
        box.mounts = mounts
        let cat = FileSystem.exists("/usr/bin/cat") ? "/usr/bin/cat" : "/bin/cat"
        let r = try box.run([cat, "/proc/self/status", "/proc/self/mountinfo"])
        guard r.status == 0 else { throw ExecutorError.sandbox("cat exited with status \(r.status): \(r.output)") }
        return r.output
    }

    static func rows(status: String, confinement: Confinement) -> [DoctorRow] {
        var rows: [DoctorRow] = []
        let want = confinement.capabilities
        let sets = ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"].map { CapabilitySet.parse(status, line: $0) }
        let none = CapabilitySet(bits: 0)
        let names = want.members.map { String($0.dropFirst(4)) }.joined(separator: " ")
        if sets == [none, want, want, want, none] {
            let lacking = CapabilitySet(bits: CapabilitySet.containerDefault.bits & ~want.bits).members
            rows.append(DoctorRow(
                "sandbox capabilities", lacking.isEmpty ? .ok : .warn,
                "a root RUN has effective = permitted = bounding \(want) (\(names)), no inheritable or ambient ones; a non-root USER only the bounding set"
                    + (lacking.isEmpty ? " — Docker's and BuildKit's default set" : "; mab itself lacks \(lacking.joined(separator: ", ")), so RUN does too")))
        } else {
            rows.append(DoctorRow(
                "sandbox capabilities", .fail,
                "a RUN has inheritable/permitted/effective/bounding/ambient " + sets.map { $0?.description ?? "?" }.joined(separator: "/") + ", expected \(none)/\(want)/\(want)/\(want)/\(none)"))
        }
        let mode = status.split(separator: "\n").first { $0.hasPrefix("Seccomp:") }.map { $0.dropFirst(8).trimmingCharacters(in: .whitespaces) }
        let arches = SeccompProfile.docker.architectures[ELFHeader.hostArchitecture]?.joined(separator: ", ") ?? "?"
        rows.append(mode == "2"
            ? DoctorRow("sandbox seccomp", .ok, "Docker's default profile (as BuildKit gives RUN), \(confinement.filter?.length ?? 0) BPF instructions for \(arches); a RUN runs in filter mode")
            : DoctorRow("sandbox seccomp", .fail, "a RUN reports Seccomp: \(mode ?? "?"), expected 2 (filter)"))
        // mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ..."; the last mount of a path wins.
        var options: [String: String] = [:]
        for line in status.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count > 5, f[2].contains(":") { options[String(f[4])] = String(f[5]) }
        }
        let readOnly = Confinement.readOnlyPaths + ["/sys"]
        let present = { (path: String) in FileSystem.exists(path) }
        let notRO = readOnly.filter { present($0) && !(options[$0]?.split(separator: ",").contains("ro") ?? false) }
        let unmasked = Confinement.maskedPaths.filter { present($0) && options[$0] == nil }
        let absent = (readOnly + Confinement.maskedPaths).filter { !present($0) }
        if notRO.isEmpty && unmasked.isEmpty {
            rows.append(DoctorRow(
                "sandbox /proc and /sys", .ok,
                "read-only: \(readOnly.filter(present).joined(separator: ", ")); masked: \(Confinement.maskedPaths.filter(present).joined(separator: ", "))"
                    + (absent.isEmpty ? "" : "; not on this kernel: \(absent.joined(separator: ", "))")))
        } else {
            rows.append(DoctorRow("sandbox /proc and /sys", .fail, "writable in a RUN: \((notRO).joined(separator: ", ")); not masked: \(unmasked.joined(separator: ", "))"))
        }
        let nnp = status.contains("NoNewPrivs:\t1")
        rows.append(DoctorRow(
            "sandbox no_new_privs", .ok,
            nnp ? "set (bubblewrap always sets it; BuildKit's RUN has it unset): set-uid programs and file capabilities raise no privileges in a RUN" : "unset"))
        return rows
    }
}
