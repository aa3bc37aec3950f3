/// The emulation smoke test's program: a static ELF executable of a few hundred bytes for
/// each architecture, assembled here from the instructions below (the source is this file;
/// `mab doctor --write-smoke DIR` writes the binaries out, and `objdump -d` disassembles
/// them back to the listing). It writes `mab-smoke-ok\n` to standard output and exits
/// with status 42 — nothing else, no libc, no interpreter.
public enum SmokeProgram {
    public static let expectedOutput = "mab-smoke-ok\n"
    public static let expectedStatus: Int32 = 42
    static let message = Array(expectedOutput.utf8)

    /// x86_64:
    ///
    ///     mov  eax, 1            ; write
    ///     mov  edi, 1            ; fd 1
    ///     lea  rsi, [rip+19]     ; message, right after the code
    ///     mov  edx, 13           ; length
    ///     syscall
    ///     mov  eax, 60           ; exit
    ///     mov  edi, 42
    ///     syscall
    static let amd64Code: [UInt8] = [
        0xb8, 0x01, 0x00, 0x00, 0x00,
        0xbf, 0x01, 0x00, 0x00, 0x00,
        0x48, 0x8d, 0x35, 0x13, 0x00, 0x00, 0x00,
        0xba, 0x0d, 0x00, 0x00, 0x00,
        0x0f, 0x05,
        0xb8, 0x3c, 0x00, 0x00, 0x00,
        0xbf, 0x2a, 0x00, 0x00, 0x00,
        0x0f, 0x05,
    ]

    /// AArch64 (little-endian instruction words):
    ///
    ///     movz x0, #1            ; fd 1                 d2800020
    ///     adr  x1, #28           ; message, after code  100000e1
    ///     movz x2, #13           ; length               d28001a2
    ///     movz x8, #64           ; write                d2800808
    ///     svc  #0                ;                      d4000001
    ///     movz x0, #42           ;                      d2800540
    ///     movz x8, #93           ; exit                 d2800ba8
    ///     svc  #0                ;                      d4000001
    static let arm64Code: [UInt8] = [0xd280_0020, 0x1000_00e1, 0xd280_01a2, 0xd280_0808, 0xd400_0001, 0xd280_0540, 0xd280_0ba8, 0xd400_0001]
        .flatMap { (word: UInt32) in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }

    /// The executable for `architecture` (amd64 or arm64).
    public static func elf(architecture: String) -> [UInt8]? {
        guard let machine = ELFHeader.machines[architecture] else { return nil }
        return ELFHeader.executable(code: (architecture == "amd64" ? amd64Code : arm64Code) + message, machine: machine)
    }
}
