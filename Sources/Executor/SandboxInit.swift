import Doctor

/// The first program of every RUN: a static executable of the host's architecture, made
/// here with its work as data, that bubblewrap starts inside the finished sandbox as root
/// with every capability. In order it
/// 1. makes the mounts of runc's confinement (read-only and masked /proc paths, /sys,
///    /dev/shm); a target that does not exist is skipped;
/// 2. drops every capability not in the set from the bounding set (PR_CAPBSET_DROP, to
///    the kernel's last), sets effective = permitted = the set, inheritable = none, and
///    clears the ambient set;
/// 3. loads the seccomp filter (bubblewrap has set no_new_privs);
/// 4. for a non-root USER: setgroups, setresgid, setresuid — the kernel then empties the
///    permitted and effective sets, as for Docker's non-root user;
/// 5. execve(argv[1], &argv[1], envp).
/// A failing step writes what failed to stderr and exits 126; a command that cannot be
/// executed, 127. The command it executes goes through binfmt_misc as usual, so an arm64
/// RUN's emulator runs under the host's filter.
struct SandboxInit: Sendable {
    /// One mount(2) call; a nil source, type or data is NULL.
    struct MountCall: Sendable, Hashable {
        var source: String?
        var target: String
        var type: String?
        var flags: UInt64
        var data: String? = nil
    }

    struct User: Sendable, Hashable {
        var uid: UInt32
        var gid: UInt32
        var groups: [UInt32]
    }

    var mounts: [MountCall] = []
    /// Effective, permitted and bounding set; nil leaves bubblewrap's as they are.
    var capabilities: CapabilitySet?
    var filter: SeccompFilter?
    var user: User?
    /// The program to run, named in the message when it cannot be executed.
    var command: String

    static let MS_RDONLY: UInt64 = 1, MS_NOSUID: UInt64 = 2, MS_NODEV: UInt64 = 4, MS_NOEXEC: UInt64 = 8
    static let MS_REMOUNT: UInt64 = 32, MS_BIND: UInt64 = 4096, MS_REC: UInt64 = 16384

    /// The program for the host's architecture (nil on others).
    func program() -> [UInt8]? {
        #if arch(x86_64)
        return program(machine: 0x3e)
        #elseif arch(arm64)
        return program(machine: 0xb7)
        #else
        return nil
        #endif
    }

    /// The program for e_machine 0x3e (x86_64) or 0xb7 (AArch64).
    func program(machine: UInt16) -> [UInt8]? {
        let code: [UInt8]
        switch machine {
        case 0x3e: code = Self.x86_64
        case 0xb7: code = Self.aarch64.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }
        default: return nil
        }
        return ELFHeader.executable(code: code + data(at: ELFHeader.base + UInt64(ELFHeader.headersSize + code.count)), machine: machine)
    }

    /// The data block both programs read, placed at `address`:
    ///
    ///       0  u32 flags (1: set capabilities, 2: switch user)   4  u32 group count
    ///       8  u32 uid   12  u32 gid   16  u64 capability set (bounding)
    ///      24  capset header {version 3, pid 0}   32  capset data [2] {effective, permitted, inheritable}
    ///      56  u64 mount count   64  u64 address of the mount table (5 u64 an entry: source,
    ///          target, type, flags, data)   72  sock_fprog {u16 length, u64 filter address}
    ///      88  u64 address of the groups   96  5 × {u64 address, u64 length}: the messages of
    ///          the mount, capability, seccomp, user and exec steps   176  what the addresses name
    func data(at address: UInt64) -> [UInt8] {
        var head = [UInt8](repeating: 0, count: 176)
        var tail: [UInt8] = []
        func put<T: FixedWidthInteger>(_ v: T, at offset: Int) {
            for i in 0..<(T.bitWidth / 8) { head[offset + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) }
        }
        func place(_ bytes: [UInt8]) -> UInt64 {
            while tail.count % 8 != 0 { tail.append(0) }
            defer { tail += bytes }
            return address + 176 + UInt64(tail.count)
        }
        func string(_ s: String?) -> UInt64 { s.map { place(Array($0.utf8) + [0]) } ?? 0 }

        var flags: UInt32 = 0
        if let caps = capabilities {
            flags |= 1
            put(caps.bits, at: 16)
            put(UInt32(0x2008_0522), at: 24)
            let lo = UInt32(truncatingIfNeeded: caps.bits), hi = UInt32(truncatingIfNeeded: caps.bits >> 32)
            for (i, v) in [lo, lo, 0, hi, hi, 0].enumerated() { put(v, at: 32 + 4 * i) }
        }
        if let user {
            flags |= 2
            put(UInt32(user.groups.count), at: 4)
            put(user.uid, at: 8)
            put(user.gid, at: 12)
            put(place(user.groups.flatMap { g in (0..<4).map { UInt8(truncatingIfNeeded: g >> (8 * $0)) } }), at: 88)
        }
        put(flags, at: 0)
        var table: [UInt64] = []
        for m in mounts { table += [string(m.source), string(m.target), string(m.type), m.flags, string(m.data)] }
        put(UInt64(mounts.count), at: 56)
        put(place(table.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }), at: 64)
        if let filter {
            put(UInt16(filter.length), at: 72)
            put(place(filter.program), at: 80)
        }
        let who = user.map { "\($0.uid):\($0.gid)" } ?? ""
        let messages = [
            "mab: sandbox: making the /proc, /sys and /dev mounts failed\n",
            "mab: sandbox: dropping capabilities failed\n",
            "mab: sandbox: loading the seccomp filter failed\n",
            "mab: sandbox: switching to user \(who) failed\n",
            "mab: cannot execute \(command): not found in the image, not executable, or its interpreter is missing\n",
        ]
        for (i, m) in messages.enumerated() {
            let bytes = Array(m.utf8)
            put(place(bytes), at: 96 + 16 * i)
            put(UInt64(bytes.count), at: 104 + 16 * i)
        }
        return head + tail
    }

    /// x86_64 (Intel syntax; r15 = the data block, r14 = the step, for the message):
    ///
    ///      0  lea r15, [rip+data] ; mov r12, [r15+56] ; mov r13, [r15+64] ; xor r14d, r14d
    ///     12  mounts: test r12, r12 ; jz caps
    ///         mov eax, 165 ; rdi, rsi, rdx, r10, r8 = [r13 .. r13+32] ; syscall       mount
    ///         test rax, rax ; jns mnext ; cmp rax, -ENOENT ; jne fail
    ///     41  mnext: add r13, 40 ; dec r12 ; jmp mounts
    ///     4a  caps: mov r14d, 1 ; test byte [r15], 1 ; jz seccomp ; xor r12d, r12d ; mov r13, [r15+16]
    ///     61  bset: bt r13, r12 ; jc bnext
    ///         mov eax, 157 ; mov edi, 24 ; mov rsi, r12 ; rdx = r10 = r8 = 0 ; syscall  prctl(PR_CAPBSET_DROP)
    ///         test rax, rax ; jns bnext ; cmp rax, -EINVAL ; jne fail               (past the last cap)
    ///     8d  bnext: inc r12 ; cmp r12, 64 ; jb bset
    ///         sub rsp, 32 ; movdqu xmm0, [r15+24] ; movdqu [rsp], xmm0           header and data
    ///         movdqu xmm0, [r15+40] ; movdqu [rsp+16], xmm0                      on the stack (qemu
    ///         mov eax, 126 ; mov rdi, rsp ; lea rsi, [rsp+8] ; syscall         wants them writable)
    ///         add rsp, 32 ; test rax, rax ; js fail                             capset
    ///         mov eax, 157 ; mov edi, 47 ; mov esi, 4 ; rdx = r10 = r8 = 0 ; syscall ; js fail
    ///                                                     prctl(PR_CAP_AMBIENT, CLEAR_ALL)
    ///     ef  seccomp: mov r14d, 2 ; cmp word [r15+72], 0 ; je user
    ///         mov eax, 157 ; mov edi, 22 ; mov esi, 2 ; lea rdx, [r15+72] ; syscall ; js fail
    ///                                                     prctl(PR_SET_SECCOMP, FILTER, &fprog)
    ///    117  user: mov r14d, 3 ; test byte [r15], 2 ; jz exec
    ///         mov eax, 116 ; mov edi, [r15+4] ; mov rsi, [r15+88] ; syscall ; js fail  setgroups
    ///         mov eax, 119 ; edi = esi = edx = [r15+12] ; syscall ; js fail            setresgid
    ///         mov eax, 117 ; edi = esi = edx = [r15+8] ; syscall ; js fail             setresuid
    ///    15f  exec: mov rcx, [rsp] ; lea rsi, [rsp+16] ; mov rdi, [rsi] ; lea rdx, [rsp+rcx*8+16]
    ///         mov eax, 59 ; syscall ; mov r14d, 4 ; mov ebx, 127 ; jmp report         execve
    ///    184  fail: mov ebx, 126
    ///    189  report: shl r14, 4 ; mov rsi, [r15+r14+96] ; mov rdx, [r15+r14+104]
    ///         mov edi, 2 ; mov eax, 1 ; syscall ; mov edi, ebx ; mov eax, 60 ; syscall  write, exit
    ///    1ac  nop padding to 8 bytes; data at 1b0
    static let x86_64: [UInt8] = [
        0x4c, 0x8d, 0x3d, 0xa9, 0x01, 0x00, 0x00, 0x4d, 0x8b, 0x67, 0x38, 0x4d, 0x8b, 0x6f, 0x40, 0x45, 0x31, 0xf6, 0x4d, 0x85,
        0xe4, 0x74, 0x33, 0xb8, 0xa5, 0x00, 0x00, 0x00, 0x49, 0x8b, 0x7d, 0x00, 0x49, 0x8b, 0x75, 0x08, 0x49, 0x8b, 0x55, 0x10,
        0x4d, 0x8b, 0x55, 0x18, 0x4d, 0x8b, 0x45, 0x20, 0x0f, 0x05, 0x48, 0x85, 0xc0, 0x79, 0x0a, 0x48, 0x83, 0xf8, 0xfe, 0x0f,
        0x85, 0x43, 0x01, 0x00, 0x00, 0x49, 0x83, 0xc5, 0x28, 0x49, 0xff, 0xcc, 0xeb, 0xc8, 0x41, 0xbe, 0x01, 0x00, 0x00, 0x00,
        0x41, 0xf6, 0x07, 0x01, 0x0f, 0x84, 0x95, 0x00, 0x00, 0x00, 0x45, 0x31, 0xe4, 0x4d, 0x8b, 0x6f, 0x10, 0x4d, 0x0f, 0xa3,
        0xe5, 0x72, 0x26, 0xb8, 0x9d, 0x00, 0x00, 0x00, 0xbf, 0x18, 0x00, 0x00, 0x00, 0x4c, 0x89, 0xe6, 0x31, 0xd2, 0x45, 0x31,
        0xd2, 0x45, 0x31, 0xc0, 0x0f, 0x05, 0x48, 0x85, 0xc0, 0x79, 0x0a, 0x48, 0x83, 0xf8, 0xea, 0x0f, 0x85, 0xf7, 0x00, 0x00,
        0x00, 0x49, 0xff, 0xc4, 0x49, 0x83, 0xfc, 0x40, 0x72, 0xcb, 0x48, 0x83, 0xec, 0x20, 0xf3, 0x41, 0x0f, 0x6f, 0x47, 0x18,
        0xf3, 0x0f, 0x7f, 0x04, 0x24, 0xf3, 0x41, 0x0f, 0x6f, 0x47, 0x28, 0xf3, 0x0f, 0x7f, 0x44, 0x24, 0x10, 0xb8, 0x7e, 0x00,
        0x00, 0x00, 0x48, 0x89, 0xe7, 0x48, 0x8d, 0x74, 0x24, 0x08, 0x0f, 0x05, 0x48, 0x83, 0xc4, 0x20, 0x48, 0x85, 0xc0, 0x0f,
        0x88, 0xb7, 0x00, 0x00, 0x00, 0xb8, 0x9d, 0x00, 0x00, 0x00, 0xbf, 0x2f, 0x00, 0x00, 0x00, 0xbe, 0x04, 0x00, 0x00, 0x00,
        0x31, 0xd2, 0x45, 0x31, 0xd2, 0x45, 0x31, 0xc0, 0x0f, 0x05, 0x48, 0x85, 0xc0, 0x0f, 0x88, 0x95, 0x00, 0x00, 0x00, 0x41,
        0xbe, 0x02, 0x00, 0x00, 0x00, 0x66, 0x41, 0x83, 0x7f, 0x48, 0x00, 0x74, 0x1a, 0xb8, 0x9d, 0x00, 0x00, 0x00, 0xbf, 0x16,
        0x00, 0x00, 0x00, 0xbe, 0x02, 0x00, 0x00, 0x00, 0x49, 0x8d, 0x57, 0x48, 0x0f, 0x05, 0x48, 0x85, 0xc0, 0x78, 0x6d, 0x41,
        0xbe, 0x03, 0x00, 0x00, 0x00, 0x41, 0xf6, 0x07, 0x02, 0x74, 0x3c, 0xb8, 0x74, 0x00, 0x00, 0x00, 0x41, 0x8b, 0x7f, 0x04,
        0x49, 0x8b, 0x77, 0x58, 0x0f, 0x05, 0x48, 0x85, 0xc0, 0x78, 0x4d, 0xb8, 0x77, 0x00, 0x00, 0x00, 0x41, 0x8b, 0x7f, 0x0c,
        0x89, 0xfe, 0x89, 0xfa, 0x0f, 0x05, 0x48, 0x85, 0xc0, 0x78, 0x39, 0xb8, 0x75, 0x00, 0x00, 0x00, 0x41, 0x8b, 0x7f, 0x08,
        0x89, 0xfe, 0x89, 0xfa, 0x0f, 0x05, 0x48, 0x85, 0xc0, 0x78, 0x25, 0x48, 0x8b, 0x0c, 0x24, 0x48, 0x8d, 0x74, 0x24, 0x10,
        0x48, 0x8b, 0x3e, 0x48, 0x8d, 0x54, 0xcc, 0x10, 0xb8, 0x3b, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x41, 0xbe, 0x04, 0x00, 0x00,
        0x00, 0xbb, 0x7f, 0x00, 0x00, 0x00, 0xeb, 0x05, 0xbb, 0x7e, 0x00, 0x00, 0x00, 0x49, 0xc1, 0xe6, 0x04, 0x4b, 0x8b, 0x74,
        0x37, 0x60, 0x4b, 0x8b, 0x54, 0x37, 0x68, 0xbf, 0x02, 0x00, 0x00, 0x00, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x89,
        0xdf, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x0f, 0x1f, 0x40, 0x00,
    ]

    /// AArch64 (x19 = the data block, x22 = the entry sp, x23 = the step), word by word the
    /// same steps: mount (40), prctl (167), capset (91), setgroups (159), setresgid (149),
    /// setresuid (147), execve (221), write (64), exit (93); `tbz x0, #63` tests for success.
    ///
    ///      0  adr x19, data ; mov x22, sp ; ldr x20, [x19, #56] ; ldr x21, [x19, #64] ; mov x23, #0
    ///     14  mounts: cbz x20, caps ; ldp x0, x1, [x21] ; ldp x2, x3, [x21, #16] ; ldr x4, [x21, #32]
    ///         mov x8, #40 ; svc #0 ; tbz x0, #63, mnext ; cmn x0, #2 ; b.ne fail
    ///     38  mnext: add x21, x21, #40 ; sub x20, x20, #1 ; b mounts
    ///     44  caps: mov x23, #1 ; ldr w9, [x19] ; tbz w9, #0, seccomp ; mov x20, #0 ; ldr x21, [x19, #16]
    ///     58  bset: lsr x9, x21, x20 ; tbnz w9, #0, bnext ; x0 = 24, x1 = x20, x2 = x3 = x4 = 0
    ///         mov x8, #167 ; svc #0 ; tbz x0, #63, bnext ; cmn x0, #22 ; b.ne fail
    ///     88  bnext: add x20, x20, #1 ; cmp x20, #64 ; b.lo bset
    ///         sub sp, sp, #32 ; ldp x9, x10, [x19, #24] ; stp x9, x10, [sp]   header and data on
    ///         ldp x9, x10, [x19, #40] ; stp x9, x10, [sp, #16]                the stack, as for x86_64
    ///         mov x0, sp ; add x1, sp, #8 ; mov x8, #91 ; svc #0 ; add sp, sp, #32 ; tbnz x0, #63, fail
    ///         x0 = 47, x1 = 4, x2 = x3 = x4 = 0 ; mov x8, #167 ; svc #0 ; tbnz x0, #63, fail
    ///     e0  seccomp: mov x23, #2 ; ldrh w9, [x19, #72] ; cbz w9, user
    ///         x0 = 22, x1 = 2, add x2, x19, #72 ; mov x8, #167 ; svc #0 ; tbnz x0, #63, fail
    ///    104  user: mov x23, #3 ; ldr w9, [x19] ; tbz w9, #1, exec
    ///         ldr w0, [x19, #4] ; ldr x1, [x19, #88] ; mov x8, #159 ; svc #0 ; tbnz x0, #63, fail
    ///         ldr w0, [x19, #12] ; w1 = w2 = w0 ; mov x8, #149 ; svc #0 ; tbnz x0, #63, fail
    ///         ldr w0, [x19, #8] ; w1 = w2 = w0 ; mov x8, #147 ; svc #0 ; tbnz x0, #63, fail
    ///    154  exec: ldr x9, [x22] ; add x1, x22, #16 ; ldr x0, [x1] ; add x2, x1, x9, lsl #3
    ///         mov x8, #221 ; svc #0 ; mov x23, #4 ; mov x24, #127 ; b report
    ///    178  fail: mov x24, #126
    ///    17c  report: add x9, x19, x23, lsl #4 ; ldp x1, x2, [x9, #96] ; mov x0, #2 ; mov x8, #64 ; svc #0
    ///         mov x0, x24 ; mov x8, #93 ; svc #0 ; nop; data at 1a0
    static let aarch64: [UInt32] = [
        0x10000d13, 0x910003f6, 0xf9401e74, 0xf9402275, 0xd2800017, 0xb4000194, 0xa94006a0, 0xa9410ea2,
        0xf94012a4, 0xd2800508, 0xd4000001, 0xb6f80060, 0xb100081f, 0x54000a21, 0x9100a2b5, 0xd1000694,
        0x17fffff5, 0xd2800037, 0xb9400269, 0x360004a9, 0xd2800014, 0xf9400a75, 0x9ad426a9, 0x37000169,
        0xd2800300, 0xaa1403e1, 0xd2800002, 0xd2800003, 0xd2800004, 0xd28014e8, 0xd4000001, 0xb6f80060,
        0xb100581f, 0x540007a1, 0x91000694, 0xf101029f, 0x54fffe43, 0xd10083ff, 0xa941aa69, 0xa9002be9,
        0xa942aa69, 0xa9012be9, 0x910003e0, 0x910023e1, 0xd2800b68, 0xd4000001, 0x910083ff, 0xb7f805e0,
        0xd28005e0, 0xd2800081, 0xd2800002, 0xd2800003, 0xd2800004, 0xd28014e8, 0xd4000001, 0xb7f804e0,
        0xd2800057, 0x79409269, 0x340000e9, 0xd28002c0, 0xd2800041, 0x91012262, 0xd28014e8, 0xd4000001,
        0xb7f803c0, 0xd2800077, 0xb9400269, 0x36080249, 0xb9400660, 0xf9402e61, 0xd28013e8, 0xd4000001,
        0xb7f802c0, 0xb9400e60, 0x2a0003e1, 0x2a0003e2, 0xd28012a8, 0xd4000001, 0xb7f80200, 0xb9400a60,
        0x2a0003e1, 0x2a0003e2, 0xd2801268, 0xd4000001, 0xb7f80140, 0xf94002c9, 0x910042c1, 0xf9400020,
        0x8b090c22, 0xd2801ba8, 0xd4000001, 0xd2800097, 0xd2800ff8, 0x14000002, 0xd2800fd8, 0x8b171269,
        0xa9460921, 0xd2800040, 0xd2800808, 0xd4000001, 0xaa1803e0, 0xd2800ba8, 0xd4000001, 0xd503201f,
    ]
}
