import Doctor

/// The program a RUN with a non-root USER starts first: a static executable of the host's
/// architecture, built here with the user's ids as constants, that drops to them and then
/// executes the command — `setgroups(0, NULL)`, `setresgid(G, G, G)`, `setresuid(U, U, U)`,
/// `execve(argv[1], &argv[1], envp)`; exit 126 when a call fails, 127 when the command
/// cannot be executed. Running as that uid for real (not through a user namespace that
/// maps it to root) makes the files the command writes belong to the user in the layer,
/// and the kernel check permissions as Docker's would. It runs natively whatever the
/// image's platform; the command it executes goes through binfmt_misc as usual.
enum UserSwitch {

    static func elf(uid: UInt32, gid: UInt32) -> [UInt8]? {
        #if arch(x86_64)
        return ELFHeader.executable(code: x86_64(uid: uid, gid: gid), machine: 0x3e)
        #elseif arch(arm64)
        return ELFHeader.executable(code: aarch64(uid: uid, gid: gid), machine: 0xb7)
        #else
        return nil
        #endif
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    /// x86_64, offsets in bytes:
    ///
    ///      0  mov eax, 116 ; xor edi, edi ; xor esi, esi ; syscall   setgroups(0, NULL)
    ///     11  test rax, rax ; js fail
    ///     16  mov eax, 119 ; mov edi/esi/edx, G ; syscall            setresgid
    ///     38  test rax, rax ; js fail
    ///     43  mov eax, 117 ; mov edi/esi/edx, U ; syscall            setresuid
    ///     65  test rax, rax ; js fail
    ///     70  mov rcx, [rsp]                argc
    ///     74  lea rsi, [rsp+16]             &argv[1]
    ///     79  mov rdi, [rsi]                argv[1]
    ///     82  lea rdx, [rsp+rcx*8+16]       envp
    ///     87  mov eax, 59 ; syscall         execve
    ///     94  mov edi, 127 ; jmp exit
    ///    101  fail: mov edi, 126
    ///    106  exit: mov eax, 60 ; syscall
    static func x86_64(uid: UInt32, gid: UInt32) -> [UInt8] {
        var c: [UInt8] = []
        c += [0xb8] + le32(116) + [0x31, 0xff, 0x31, 0xf6, 0x0f, 0x05]
        c += [0x48, 0x85, 0xc0, 0x78, 0x55]
        c += [0xb8] + le32(119) + [0xbf] + le32(gid) + [0xbe] + le32(gid) + [0xba] + le32(gid) + [0x0f, 0x05]
        c += [0x48, 0x85, 0xc0, 0x78, 0x3a]
        c += [0xb8] + le32(117) + [0xbf] + le32(uid) + [0xbe] + le32(uid) + [0xba] + le32(uid) + [0x0f, 0x05]
        c += [0x48, 0x85, 0xc0, 0x78, 0x1f]
        c += [0x48, 0x8b, 0x0c, 0x24, 0x48, 0x8d, 0x74, 0x24, 0x10, 0x48, 0x8b, 0x3e, 0x48, 0x8d, 0x54, 0xcc, 0x10]
        c += [0xb8] + le32(59) + [0x0f, 0x05]
        c += [0xbf] + le32(127) + [0xeb, 0x05]
        c += [0xbf] + le32(126)
        c += [0xb8] + le32(60) + [0x0f, 0x05]
        return c
    }

    /// AArch64, in instruction words:
    ///
    ///      0  movz x8, #159 ; movz x0, #0 ; movz x1, #0 ; svc #0      setgroups
    ///      4  tbnz x0, #63, fail
    ///      5  movz/movk w0, w1, w2 = G ; movz x8, #149 ; svc #0       setresgid
    ///     13  tbnz x0, #63, fail
    ///     14  movz/movk w0, w1, w2 = U ; movz x8, #147 ; svc #0       setresuid
    ///     22  tbnz x0, #63, fail
    ///     23  ldr x9, [sp]                    argc
    ///     24  add x1, sp, #16                 &argv[1]
    ///     25  ldr x0, [x1]                    argv[1]
    ///     26  add x2, x1, x9, lsl #3          envp
    ///     27  movz x8, #221 ; svc #0          execve
    ///     29  movz x0, #127 ; b exit
    ///     31  fail: movz x0, #126
    ///     32  exit: movz x8, #93 ; svc #0
    static func aarch64(uid: UInt32, gid: UInt32) -> [UInt8] {
        func movz64(_ rd: UInt32, _ imm: UInt32) -> UInt32 { 0xd280_0000 | (imm << 5) | rd }
        func set32(_ rd: UInt32, _ v: UInt32) -> [UInt32] { [0x5280_0000 | ((v & 0xffff) << 5) | rd, 0x72a0_0000 | ((v >> 16) << 5) | rd] }
        func tbnz63(at: UInt32, to: UInt32) -> UInt32 { 0xb7f8_0000 | ((to - at) << 5) }
        let svc: UInt32 = 0xd400_0001
        var w: [UInt32] = [movz64(8, 159), movz64(0, 0), movz64(1, 0), svc, tbnz63(at: 4, to: 31)]
        w += set32(0, gid) + set32(1, gid) + set32(2, gid) + [movz64(8, 149), svc, tbnz63(at: 13, to: 31)]
        w += set32(0, uid) + set32(1, uid) + set32(2, uid) + [movz64(8, 147), svc, tbnz63(at: 22, to: 31)]
        w += [0xf940_03e9, 0x9100_43e1, 0xf940_0020, 0x8b09_0c22, movz64(8, 221), svc]
        w += [movz64(0, 127), 0x1400_0002, movz64(0, 126), movz64(8, 93), svc]
        return w.flatMap(le32)
    }
}
