import CSeccomp
import Doctor
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A seccomp profile compiled with libseccomp to the classic BPF program the kernel loads
/// (an array of 8-byte `sock_filter` instructions), for the host's architectures. Compiled
/// once per build; every RUN's init loads the same bytes.
public struct SeccompFilter: Sendable, Hashable {
    public let program: [UInt8]

    /// The instruction count (`sock_fprog.len`).
    public var length: Int { program.count / 8 }

    public init(program: [UInt8]) { self.program = program }

    /// Compiles `profile` for a process whose bounding set is `bounding`, as runc would for
    /// a spec made by moby's `GetDefaultProfile`.
    public static func compile(_ profile: SeccompProfile, bounding: CapabilitySet, architecture: String = ELFHeader.hostArchitecture, kernel: (Int, Int) = kernelVersion()) throws -> SeccompFilter {
        guard let arches = profile.architectures[architecture] else {
            throw ExecutorError.confinement("the seccomp profile has no architectures for \(architecture)")
        }
        guard let ctx = seccomp_init(mab_scmp_act_errno(profile.defaultErrno)) else {
            throw ExecutorError.confinement("seccomp_init failed (libseccomp)")
        }
        defer { seccomp_release(ctx) }
        for name in arches {
            let token = seccomp_arch_resolve_name(name)
            guard token != 0 else { throw ExecutorError.confinement("libseccomp does not know the architecture \(name)") }
            let rc = seccomp_arch_add(ctx, token)
            guard rc == 0 || rc == -EEXIST else { throw ExecutorError.confinement("seccomp_arch_add(\(name)): \(String(cString: strerror(-rc)))") }
        }
        for rule in profile.applicableRules(bounding: bounding, architecture: architecture, kernel: kernel) {
            let action: UInt32
            switch rule.action {
            case .allow: action = mab_scmp_act_allow()
            case .errno(let e): action = mab_scmp_act_errno(e)
            }
            var conditions = rule.arguments.map { arg -> scmp_arg_cmp in
                switch arg.op {
                case .equal: return scmp_arg_cmp(arg: arg.index, op: SCMP_CMP_EQ, datum_a: arg.value, datum_b: 0)
                case .notEqual: return scmp_arg_cmp(arg: arg.index, op: SCMP_CMP_NE, datum_a: arg.value, datum_b: 0)
                // moby's MASKED_EQ value is the mask, compared with 0 (runc: datum_b = valueTwo = 0).
                case .maskedEqual: return scmp_arg_cmp(arg: arg.index, op: SCMP_CMP_MASKED_EQ, datum_a: arg.value, datum_b: 0)
                }
            }
            for name in rule.names {
                let nr = seccomp_syscall_resolve_name(name)
                // Syscalls this libseccomp does not know (newer than it) stay denied, as with runc.
                guard nr != -1 else { continue }
                let rc = seccomp_rule_add_array(ctx, action, nr, UInt32(conditions.count), &conditions)
                guard rc == 0 else {
                    throw ExecutorError.confinement("seccomp rule for \(name): \(String(cString: strerror(-rc)))")
                }
            }
        }
        let fd = mab_memfd("mab-seccomp")
        guard fd >= 0 else { throw ExecutorError.confinement("memfd_create: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let rc = seccomp_export_bpf(ctx, fd)
        guard rc == 0 else { throw ExecutorError.confinement("seccomp_export_bpf: \(String(cString: strerror(-rc)))") }
        let size = Int(lseek(fd, 0, SEEK_END))
        var bytes = [UInt8](repeating: 0, count: size)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
        guard got == size, size % 8 == 0, size > 0 else { throw ExecutorError.confinement("seccomp_export_bpf wrote \(size) bytes") }
        return SeccompFilter(program: bytes)
    }

    /// The running kernel's (major, minor) version, from uname.
    public static func kernelVersion() -> (Int, Int) {
        var u = utsname()
        uname(&u)
        let release = withUnsafeBytes(of: &u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
    }
}
