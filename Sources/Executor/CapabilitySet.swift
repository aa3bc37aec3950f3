import Foundation

/// A set of Linux capabilities (linux/capability.h numbers as bits), as the Cap lines of
/// /proc/PID/status show them.
public struct CapabilitySet: Sendable, Hashable, CustomStringConvertible {
    public var bits: UInt64

    public init(bits: UInt64) { self.bits = bits }

    public init(_ names: [String]) {
        bits = names.reduce(0) { set, name in Self.names.firstIndex(of: name).map { set | 1 << UInt64($0) } ?? set }
    }

    /// Capability names by number (Linux 6.x: 0 … 40).
    public static let names = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// What Docker and BuildKit give a container's root (containerd's defaultUnixCaps):
    /// `00000000a80425fb`.
    public static let containerDefault = CapabilitySet([
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ])

    public func contains(_ name: String) -> Bool {
        Self.names.firstIndex(of: name).map { bits & (1 << UInt64($0)) != 0 } ?? false
    }

    public func intersection(_ other: CapabilitySet) -> CapabilitySet { CapabilitySet(bits: bits & other.bits) }

    /// The names in the set, lowest number first; bits past the known names as `cap_N`.
    public var members: [String] {
        (0..<64).filter { bits & (1 << UInt64($0)) != 0 }.map { $0 < Self.names.count ? Self.names[$0] : "cap_\($0)" }
    }

    /// 16 hex digits, as /proc/PID/status prints a set.
    public var description: String {
        let hex = String(bits, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// A `CapXxx:` line's value from /proc/PID/status text.
    public static func parse(_ status: String, line key: String) -> CapabilitySet? {
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            return UInt64(line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces), radix: 16).map(CapabilitySet.init(bits:))
        }
        return nil
    }
}
