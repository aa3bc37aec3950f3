/// One binfmt_misc registration, as the kernel shows it in `/proc/sys/fs/binfmt_misc/NAME`:
///
///     enabled
///     interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
///     flags: PF
///     offset 0
///     magic 7f454c460201010000000000000000000200b700
///     mask ffffffffffffff00fffffffffffffffffeffffff
public struct BinfmtEntry: Sendable, Hashable, Encodable {
    public var name: String
    public var enabled: Bool
    public var interpreter: String
    /// The flag letters: F (interpreter opened at registration), P (argv[0] preserved),
    /// C (credentials from the binary), O (binary passed open).
    public var flags: String
    public var offset: Int
    public var magic: [UInt8]
    public var mask: [UInt8]?

    /// Parses the file's text; the error says what is wrong with it.
    public init(name: String, text: String) throws(DoctorError) {
        self.name = name
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let state = lines.first, state == "enabled" || state == "disabled" else {
            throw .garbled(name: name, reason: "first line is not enabled or disabled")
        }
        enabled = state == "enabled"
        var interpreter: String?
        var flags = ""
        var offset = 0
        var magic: [UInt8]?
        var mask: [UInt8]?
        for line in lines.dropFirst() {
            if line.hasPrefix("interpreter ") {
                interpreter = String(line.dropFirst("interpreter ".count))
            } else if line.hasPrefix("flags:") {
                flags = line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("offset ") {
                guard let n = Int(line.dropFirst("offset ".count)) else { throw .garbled(name: name, reason: "offset is not a number") }
                offset = n
            } else if line.hasPrefix("magic ") {
                guard let bytes = Self.hex(String(line.dropFirst("magic ".count))) else { throw .garbled(name: name, reason: "magic is not hex") }
                magic = bytes
            } else if line.hasPrefix("mask ") {
                guard let bytes = Self.hex(String(line.dropFirst("mask ".count))) else { throw .garbled(name: name, reason: "mask is not hex") }
                mask = bytes
            } else if line.hasPrefix("extension ") {
                throw .garbled(name: name, reason: "matches by file extension, not by magic")
            }
        }
        guard let interpreter, !interpreter.isEmpty else { throw .garbled(name: name, reason: "no interpreter line") }
        guard let magic, !magic.isEmpty else { throw .garbled(name: name, reason: "no magic line") }
        self.interpreter = interpreter
        self.flags = flags
        self.offset = offset
        self.magic = magic
        self.mask = mask
    }

    /// Whether the registration claims a file that starts with `header`.
    public func matches(_ header: [UInt8]) -> Bool {
        guard offset + magic.count <= header.count else { return false }
        for (i, m) in magic.enumerated() {
            let k = mask.map { i < $0.count ? $0[i] : 0xff } ?? 0xff
            if header[offset + i] & k != m & k { return false }
        }
        return true
    }

    public var fixBinary: Bool { flags.contains("F") }

    /// The line that registers this entry again, with F added: for `.../register`.
    public var registrationWithF: String {
        func esc(_ bytes: [UInt8]) -> String { bytes.map { "\\\\x" + String($0, radix: 16).leftPad(2) }.joined() }
        let newFlags = fixBinary ? flags : flags + "F"
        return ":\(name):M:\(offset):\(esc(magic)):\(mask.map(esc) ?? ""):\(interpreter):\(newFlags)"
    }

    static func hex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0, !chars.isEmpty else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let v = UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(v)
        }
        return out
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
