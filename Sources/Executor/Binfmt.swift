import OCI

/// The kernel's binfmt_misc registrations: whether an ELF binary of another architecture
/// can run here (through qemu-user), checked before a build runs anything.
public struct Binfmt: Sendable {
    public let directory: String

    public init(directory: String = "/proc/sys/fs/binfmt_misc") { self.directory = directory }

    /// ELF e_machine of a 64-bit little-endian binary per OCI architecture.
    static let machines: [String: UInt16] = ["amd64": 0x3e, "arm64": 0xb7]

    /// True when an enabled registration's magic matches 64-bit little-endian ELF
    /// executables of `architecture`.
    public func canRun(architecture: String) -> Bool {
        guard let machine = Self.machines[architecture] else { return false }
        guard let names = try? FileSystem.list(directory) else { return false }
        for name in names where name != "register" && name != "status" {
            guard let bytes = try? FileSystem.readFile(directory + "/" + name) else { continue }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            guard lines.first == "enabled", lines.contains("offset 0"),
                  let magicLine = lines.first(where: { $0.hasPrefix("magic ") }),
                  let magic = Self.hexBytes(String(magicLine.dropFirst(6))), magic.count >= 20
            else { continue }
            let mask = lines.first(where: { $0.hasPrefix("mask ") }).flatMap { Self.hexBytes(String($0.dropFirst(5))) }
            func byte(_ i: Int) -> UInt8 { magic[i] & (mask.map { i < $0.count ? $0[i] : 0xff } ?? 0xff) }
            // \x7fELF, 64-bit, little-endian, e_machine at offset 18.
            if magic[0...3] == [0x7f, 0x45, 0x4c, 0x46], byte(4) == 2, byte(5) == 1,
               UInt16(byte(18)) | UInt16(byte(19)) << 8 == machine {
                return true
            }
        }
        return false
    }

    /// What to do when `architecture` cannot run: the packages and the registration.
    public static func remedy(for architecture: String) -> String {
        let qemu = architecture == "arm64" ? "aarch64" : "x86_64"
        return "no binfmt_misc registration runs linux/\(architecture) binaries on this machine; "
            + "install qemu-user-static and binfmt-support (apt-get install qemu-user-static binfmt-support), "
            + "mount binfmt_misc (mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc) "
            + "and enable it (update-binfmts --enable qemu-\(qemu)), or build for the host's platform"
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let v = UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(v)
        }
        return out
    }
}
