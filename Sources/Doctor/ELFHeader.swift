/// The first bytes of real 64-bit little-endian ELF executables, to find the binfmt_misc
/// registration that claims an architecture the way the kernel would: by magic and mask,
/// not by the entry's name (distributions name them differently).
public enum ELFHeader {
    /// ELF e_machine per OCI architecture.
    public static let machines: [String: UInt16] = ["amd64": 0x3e, "arm64": 0xb7]

    /// The 20-byte headers of a static executable (ET_EXEC) and a PIE (ET_DYN).
    public static func headers(architecture: String) -> [[UInt8]]? {
        guard let machine = machines[architecture] else { return nil }
        return [2, 3].map { type in
            [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8) + [UInt8(type), 0, UInt8(machine & 0xff), UInt8(machine >> 8)]
        }
    }

    /// The OCI architecture of the machine mab runs on.
    public static var hostArchitecture: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }

    /// Whether the ELF file at `bytes` asks for a program interpreter (is dynamically
    /// linked): a PT_INTERP program header.
    public static func isDynamic(_ bytes: [UInt8]) -> Bool? {
        guard bytes.count >= 64, bytes[0...3] == [0x7f, 0x45, 0x4c, 0x46], bytes[4] == 2, bytes[5] == 1 else { return nil }
        func u16(_ o: Int) -> Int { Int(bytes[o]) | Int(bytes[o + 1]) << 8 }
        func u64(_ o: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[o + $1]) << (8 * $1) } }
        let phoff = u64(32), phentsize = u16(54), phnum = u16(56)
        for i in 0..<phnum {
            // Offsets come from the file: wrapping arithmetic, then a bounds check.
            let o = phoff &+ i &* phentsize
            guard o >= 0, o <= bytes.count &- 4 else { return nil }
            if u16(o) == 3 { return true }  // PT_INTERP
        }
        return false
    }

    /// A static executable holding `code` (instructions, then any data they address): the
    /// ELF header and one read+execute PT_LOAD mapping the whole file at `base`, the entry
    /// at the first instruction. The smoke program and the user switch are made with it.
    public static let base: UInt64 = 0x400000
    public static let headersSize = 64 + 56

    public static func executable(code: [UInt8], machine: UInt16) -> [UInt8] {
        let size = UInt64(headersSize + code.count)
        var b: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        func u16(_ v: UInt16) { b += [UInt8(v & 0xff), UInt8(v >> 8)] }
        func u32(_ v: UInt32) { for i in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        func u64(_ v: UInt64) { for i in 0..<8 { b.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
        // ELF header: 64-bit, little-endian, version 1, System V, an executable.
        u16(2); u16(machine); u32(1)
        u64(base + UInt64(headersSize))  // entry: the first instruction
        u64(64); u64(0)  // program headers right after this header; no sections
        u32(0); u16(64); u16(56); u16(1); u16(0); u16(0); u16(0)
        // One PT_LOAD, read + execute, mapping the whole file at `base`.
        u32(1); u32(5); u64(0); u64(base); u64(base); u64(size); u64(size); u64(0x1000)
        return b + code
    }
}
