/// Values as Go's `fmt` prints them, for texts BuildKit writes with it (image history):
/// `%q` of strings, string slices and runes, `%v` of string slices, `time.Duration`.
enum GoFormat {
    /// `strconv.Quote`: `"…"` with `\"`, `\\`, `\n`-style and `\xHH`/`\uHHHH` escapes;
    /// other printable characters as they are.
    static func quote(_ s: String) -> String {
        "\"" + s.unicodeScalars.map { escape($0, quote: "\"") }.joined() + "\""
    }

    /// `%q` of a `[]string`: `["a" "b"]`.
    static func quoteList(_ list: [String]) -> String {
        "[" + list.map(quote).joined(separator: " ") + "]"
    }

    /// `%v` of a `[]string`: `[a b]`.
    static func list(_ list: [String]) -> String {
        "[" + list.joined(separator: " ") + "]"
    }

    /// `%q` of an integer: the rune it is, quoted (`'\x04'`, `'A'`).
    static func quoteRune(_ value: Int) -> String {
        guard let scalar = Unicode.Scalar(UInt32(clamping: max(0, value))), value <= 0x10FFFF else { return "'\\ufffd'" }
        return "'" + escape(scalar, quote: "'") + "'"
    }

    private static func escape(_ c: Unicode.Scalar, quote: Character) -> String {
        switch c {
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{0B}": return "\\v"
        case "\\": return "\\\\"
        default:
            if Character(c) == quote { return "\\" + String(quote) }
            let v = c.value
            if v < 0x20 || v == 0x7F { return "\\x" + hex(v, 2) }
            if (0x80..<0xA0).contains(v) || v == 0xAD || (0xFFF9...0xFFFB).contains(v) || (0x2028...0x2029).contains(v) {
                return v > 0xFFFF ? "\\U" + hex(v, 8) : "\\u" + hex(v, 4)
            }
            return String(c)
        }
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `time.Duration.String()` of `nanoseconds`: `0s`, `1.5s`, `2m0s`, `1h0m30s`, `100ms`.
    static func duration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let u = nanoseconds.magnitude
        var out: String
        if u < 1_000_000_000 {
            // Below a second: ns, µs or ms, with a fraction.
            let (unit, scale): (String, UInt64) = u < 1_000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            out = fraction(u, scale) + unit
        } else {
            let seconds = u / 1_000_000_000
            out = fraction(u % 60_000_000_000, 1_000_000_000) + "s"
            let minutes = seconds / 60
            if minutes > 0 {
                out = "\(minutes % 60)m" + out
                let hours = minutes / 60
                if hours > 0 { out = "\(hours)h" + out }
            }
        }
        return (negative ? "-" : "") + out
    }

    /// `value / scale` with its fraction's trailing zeros dropped (`1500, 1000` → `1.5`).
    private static func fraction(_ value: UInt64, _ scale: UInt64) -> String {
        let whole = value / scale, rest = value % scale
        guard rest != 0 else { return "\(whole)" }
        var digits = String(rest)
        digits = String(repeating: "0", count: String(scale).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
