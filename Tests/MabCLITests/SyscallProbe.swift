import Doctor

/// A static program that makes one system call with fixed arguments and exits with the
/// errno it got (0 on success; the low 8 bits of -result), for x86_64 or AArch64: how the
/// sandbox tests ask "is this way out open?" without a C compiler in the image.
struct SyscallProbe {
    /// Syscall numbers: (x86_64, AArch64).
    static let numbers: [String: (UInt32, UInt32)] = [
        "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218), "init_module": (175, 105),
        "finit_module": (313, 273), "delete_module": (176, 106), "kexec_load": (246, 104), "bpf": (321, 280),
        "perf_event_open": (298, 241), "unshare": (272, 97), "setns": (308, 268), "mount": (165, 40),
        "clone3": (435, 435), "open_by_handle_at": (304, 265), "ptrace": (101, 117), "personality": (135, 92),
        "socket": (41, 198), "umount2": (166, 39),
    ]

    var name: String
    var arguments: [UInt64]

    func program(architecture: String) -> [UInt8] {
        let (x86, a64) = Self.numbers[name]!
        let args = arguments + Array(repeating: 0, count: max(0, 5 - arguments.count))
        func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        if architecture == "amd64" {
            // mov eax, NR ; movabs rdi, rsi, rdx, r10, r8 ; syscall ; neg eax ; mov edi, eax ; mov eax, 60 ; syscall
            var c: [UInt8] = [0xb8] + le(UInt64(x86), 4)
            for (prefix, v) in zip([[0x48, 0xbf], [0x48, 0xbe], [0x48, 0xba], [0x49, 0xba], [0x49, 0xb8]] as [[UInt8]], args) { c += prefix + le(v, 8) }
            c += [0x0f, 0x05, 0xf7, 0xd8, 0x89, 0xc7, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05]
            return ELFHeader.executable(code: c, machine: 0x3e)
        }
        // movz/movk x0..x4 ; movz x8, NR ; svc #0 ; neg w0, w0 ; movz x8, #93 ; svc #0
        var w: [UInt32] = []
        for (rd, v) in args.prefix(5).enumerated() {
            w.append(0xd280_0000 | UInt32(v & 0xffff) << 5 | UInt32(rd))
            for hw in 1..<4 { w.append(0xf280_0000 | UInt32(hw) << 21 | UInt32((v >> (16 * UInt64(hw))) & 0xffff) << 5 | UInt32(rd)) }
        }
        w += [0xd280_0000 | a64 << 5 | 8, 0xd400_0001, 0x4b00_03e0, 0xd280_0000 | 93 << 5 | 8, 0xd400_0001]
        return ELFHeader.executable(code: w.flatMap { le(UInt64($0), 4) }, machine: 0xb7)
    }
}
