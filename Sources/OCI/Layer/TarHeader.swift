/// One tar entry's header, encoded as Go's archive/tar writes it when no format is asked
/// for — how BuildKit's differ (containerd's archive package) writes every layer: USTAR when
/// the entry fits (a long ASCII name split into prefix and name), else a PAX extended
/// header with only the records USTAR cannot hold (`path`, `linkpath`, `uid`, `gid`, `size`,
/// `SCHILY.xattr.*`) followed by the main header; octal fields zero-padded with a NUL, the
/// checksum as six digits, NUL and space, empty user and group names. For the same entries
/// the uncompressed layer is BuildKit's byte for byte (`TarHeaderTests`).
struct TarHeader {
    enum Kind: UInt8 {
        case regular = 0x30, hardlink = 0x31, symlink = 0x32, character = 0x33, block = 0x34, directory = 0x35, fifo = 0x36
    }

    /// The name as raw bytes (directories end with `/`).
    var name: [UInt8]
    var kind: Kind
    /// Permission and set-id bits (Go writes no file-type bits).
    var mode: Int64
    var uid: Int64
    var gid: Int64
    var size: Int64 = 0
    var mtime: Int64
    var linkname: [UInt8] = []
    var devMajor: Int64 = 0
    var devMinor: Int64 = 0
    var xattrs: [(name: String, value: [UInt8])] = []

    /// The header blocks (512 bytes each; a PAX header's data padded to a block).
    func encoded() -> [UInt8] {
        var pax: [String: [UInt8]] = [:]
        var ustar = true
        // Names: non-ASCII or too long needs PAX, unless a long ASCII name can be split.
        if !Self.isASCII(name) || name.count > 100 {
            pax["path"] = name
            if Self.splitUSTARPath(name) == nil { ustar = false }
        }
        if !Self.isASCII(linkname) || linkname.count > 100 {
            pax["linkpath"] = linkname
            ustar = false
        }
        for (key, value, width) in [("uid", uid, 8), ("gid", gid, 8), ("size", size, 12)] where !Self.fitsInOctal(width, value) {
            pax[key] = Array(String(value).utf8)
            ustar = false
        }
        if !xattrs.isEmpty {
            for x in xattrs { pax["SCHILY.xattr." + x.name] = x.value }
            ustar = false
        }
        if ustar {
            var header = self
            var prefix: [UInt8] = []
            if let (p, n) = Self.splitUSTARPath(name) { (prefix, header.name) = (p, n) }
            var block = header.template(ascii: false)
            Self.put(&block, 345, 155, prefix)
            Self.finish(&block)
            return block
        }
        var records: [UInt8] = []
        for key in pax.keys.sorted() { records += Self.record(key, pax[key]!) }
        var paxHeader = [UInt8](repeating: 0, count: 512)
        var paxName = Self.toASCII(Self.paxHeaderName(name))
        if paxName.count > 100 { paxName = Array(paxName.prefix(100)) }
        while paxName.last == UInt8(ascii: "/") { paxName.removeLast() }
        paxHeader[156] = 0x78  // 'x'
        Self.put(&paxHeader, 0, 100, paxName)
        for (offset, width) in [(100, 8), (108, 8), (116, 8), (136, 12)] { Self.octal(&paxHeader, offset, width, 0) }
        Self.octal(&paxHeader, 124, 12, Int64(records.count))
        Self.finish(&paxHeader)
        var out = paxHeader + records
        out += [UInt8](repeating: 0, count: (512 - records.count % 512) % 512)
        var main = template(ascii: true)
        Self.finish(&main)
        return out + main
    }

    /// Go's templateV7Plus: every field but the prefix; in a PAX main header names are
    /// reduced to ASCII and numbers that do not fit are 0.
    private func template(ascii: Bool) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 512)
        b[156] = kind.rawValue
        Self.put(&b, 0, 100, ascii ? Self.toASCII(name) : name)
        Self.put(&b, 157, 100, ascii ? Self.toASCII(linkname) : linkname)
        Self.octal(&b, 100, 8, mode)
        Self.octal(&b, 108, 8, uid)
        Self.octal(&b, 116, 8, gid)
        Self.octal(&b, 124, 12, size)
        Self.octal(&b, 136, 12, mtime)
        Self.octal(&b, 329, 8, devMajor)
        Self.octal(&b, 337, 8, devMinor)
        return b
    }

    /// Magic and version of USTAR/PAX, then the checksum (the sum of the bytes with its own
    /// field as spaces).
    private static func finish(_ b: inout [UInt8]) {
        for (i, c) in "ustar\u{0}00".utf8.enumerated() { b[257 + i] = c }
        var sum: Int64 = 0
        for (i, c) in b.enumerated() { sum += (148..<156).contains(i) ? 32 : Int64(c) }
        octal(&b, 148, 7, sum)
        b[155] = 0x20
    }

    static func fitsInOctal(_ width: Int, _ x: Int64) -> Bool {
        x >= 0 && (width >= 22 || x < Int64(1) << (3 * Int64(width - 1)))
    }

    /// Go's formatOctal: zero-padded digits and a NUL; a value that does not fit is 0.
    private static func octal(_ b: inout [UInt8], _ offset: Int, _ width: Int, _ value: Int64) {
        let v = fitsInOctal(width, value) ? value : 0
        var digits = Array(String(v, radix: 8).utf8)
        if digits.count < width - 1 { digits = [UInt8](repeating: 0x30, count: width - 1 - digits.count) + digits }
        put(&b, offset, width, digits)
    }

    /// Go's formatString: the bytes (cut to the field) and a NUL when there is room.
    private static func put(_ b: inout [UInt8], _ offset: Int, _ width: Int, _ s: [UInt8]) {
        for (i, c) in s.prefix(width).enumerated() { b[offset + i] = c }
        if s.count < width { b[offset + s.count] = 0 }
    }

    static func isASCII(_ s: [UInt8]) -> Bool { s.allSatisfy { $0 < 0x80 } }

    /// Go's toASCII: bytes outside ASCII (and NULs) left out.
    static func toASCII(_ s: [UInt8]) -> [UInt8] { s.filter { $0 < 0x80 && $0 != 0 } }

    /// Go's splitUSTARPath: a name of more than 100 ASCII bytes as (prefix ≤ 155, name ≤ 100)
    /// split at a slash, if it can be.
    static func splitUSTARPath(_ name: [UInt8]) -> ([UInt8], [UInt8])? {
        var length = name.count
        if length <= 100 || !isASCII(name) { return nil }
        if length > 156 { length = 156 } else if name[length - 1] == UInt8(ascii: "/") { length -= 1 }
        guard let i = name[..<length].lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let nlen = name.count - i - 1
        if i <= 0 || nlen > 100 || nlen == 0 || i > 155 { return nil }
        return (Array(name[..<i]), Array(name[(i + 1)...]))
    }

    /// `path.Join(dir, "PaxHeaders.0", file)` of the entry's name.
    static func paxHeaderName(_ name: [UInt8]) -> [UInt8] {
        let slash = name.lastIndex(of: UInt8(ascii: "/"))
        var dir = slash.map { Array(name[...$0]) } ?? []
        let file = slash.map { Array(name[($0 + 1)...]) } ?? name
        while dir.last == UInt8(ascii: "/") { dir.removeLast() }
        var parts: [[UInt8]] = []
        if !dir.isEmpty { parts.append(dir) }
        parts.append(Array("PaxHeaders.0".utf8))
        if !file.isEmpty { parts.append(file) }
        return Array(parts.joined(separator: [UInt8(ascii: "/")]))
    }

    /// Go's formatPAXRecord: "LEN key=value\n", LEN counting itself.
    static func record(_ key: String, _ value: [UInt8]) -> [UInt8] {
        let body = Array(" \(key)=".utf8) + value + [0x0a]
        var size = body.count + String(body.count).utf8.count
        if String(size).utf8.count + body.count != size { size = String(size).utf8.count + body.count }
        return Array(String(size).utf8) + body
    }
}
