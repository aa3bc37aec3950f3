import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a RUN may do. `sandbox` is what BuildKit's runc gives a RUN: Docker's default
/// capability set (as far as mab itself holds it), Docker's default seccomp profile, runc's
/// read-only and masked /proc and /sys paths. `insecure` (`RUN --security=insecure`, only
/// with `mab build --allow security.insecure`) keeps every capability mab has, in every set,
/// with no seccomp filter, no masks and a writable /sys, as BuildKit's insecure mode.
public struct Confinement: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable { case sandbox, insecure }

    public var mode: Mode
    /// A root RUN's effective, permitted and bounding set (sandbox mode); in insecure mode
    /// what bubblewrap is asked to keep.
    public var capabilities: CapabilitySet
    public var filter: SeccompFilter?

    /// runc's (containerd's default spec) paths made read-only: bound on themselves, remounted.
    public static let readOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
    /// runc's masked paths: /dev/null bound over a file, an empty read-only tmpfs over a directory.
    public static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/sys/devices/virtual/powercap", "/proc/scsi",
    ]

    /// Every capability mab has, in every set (bubblewrap puts the ones it is given by name
    /// in the inheritable and ambient sets too), as BuildKit's insecure mode gives them.
    public static func insecure() -> Confinement {
        Confinement(mode: .insecure, capabilities: ownCapabilities() ?? CapabilitySet(bits: 0), filter: nil)
    }

    /// mab's own effective set.
    static func ownCapabilities() -> CapabilitySet? {
        (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)).flatMap { CapabilitySet.parse($0, line: "CapEff") }
    }

    /// The default confinement, its seccomp filter compiled now (once per build).
    public static func sandbox() throws -> Confinement {
        let caps = CapabilitySet.containerDefault.intersection(ownCapabilities() ?? CapabilitySet.containerDefault)
        return Confinement(mode: .sandbox, capabilities: caps, filter: try SeccompFilter.compile(.docker, bounding: caps))
    }

    /// bubblewrap's own capability options: in insecure mode each capability by name, so
    /// that bubblewrap raises it in the inheritable and ambient sets too (`--cap-add ALL`
    /// leaves those empty).
    var bubblewrapArguments: [String] {
        guard mode == .insecure else { return [] }
        return capabilities.members.filter { !$0.hasPrefix("cap_") }.flatMap { ["--cap-add", $0] }
    }

    /// The init program's work for a RUN of `command`, as `user` when set.
    func initProgram(command: String, user: SandboxInit.User?) -> SandboxInit {
        let m = SandboxInit.self
        let hardened = m.MS_NOSUID | m.MS_NODEV | m.MS_NOEXEC
        var mounts: [SandboxInit.MountCall] = [
            .init(source: "sysfs", target: "/sys", type: "sysfs", flags: hardened | (mode == .sandbox ? m.MS_RDONLY : 0)),
        ]
        if mode == .sandbox {
            for path in Self.readOnlyPaths {
                mounts.append(.init(source: path, target: path, type: nil, flags: m.MS_BIND | m.MS_REC))
                mounts.append(.init(source: path, target: path, type: nil, flags: m.MS_BIND | m.MS_REMOUNT | m.MS_RDONLY | hardened))
            }
            for path in Self.maskedPaths {
                var st = stat()
                guard stat(path, &st) == 0 else { continue }  // the same kernel: absent here, absent there
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    mounts.append(.init(source: "tmpfs", target: path, type: "tmpfs", flags: m.MS_RDONLY))
                } else {
                    mounts.append(.init(source: "/dev/null", target: path, type: nil, flags: m.MS_BIND))
                }
            }
        }
        mounts.append(.init(source: "shm", target: "/dev/shm", type: "tmpfs", flags: hardened, data: "mode=1777,size=65536k"))
        return SandboxInit(
            mounts: mounts, capabilities: mode == .sandbox ? capabilities : nil, filter: mode == .sandbox ? filter : nil,
            user: user, command: command)
    }
}
