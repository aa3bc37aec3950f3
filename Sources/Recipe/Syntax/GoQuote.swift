/// Quoting exactly as Go's `strconv.Quote` does it, so that `mab parse --format ast`
/// prints the same bytes as BuildKit's parse-tree dumper.
enum GoQuote {
    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        // Invalid UTF-8 never reaches here: recipe text is decoded with replacement.
        for scalar in s.unicodeScalars {
            append(scalar, to: &out)
        }
        out.append("\"")
        return out
    }

    /// Appends `quote(s)` as UTF-8 bytes; printable ASCII takes a fast path.
    static func append(_ s: String, to out: inout [UInt8]) {
        let done: Bool? = s.utf8.withContiguousStorageIfAvailable { bytes in
            for b in bytes where b < 0x20 || b >= 0x7F || b == 0x22 || b == 0x5C { return false }
            out.append(0x22)
            out.append(contentsOf: bytes)
            out.append(0x22)
            return true
        }
        if done == true { return }
        out.append(0x22)
        appendEscaped(s, to: &out)
        out.append(0x22)
    }

    private static let hexBytes = Array("0123456789abcdef".utf8)

    /// The body of `quote(s)` at byte level; only non-ASCII scalars are decoded.
    private static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        var copy = s
        copy.withUTF8 { bytes in
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    i += 1
                    switch b {
                    case 0x22: out.append(0x5C); out.append(0x22)
                    case 0x5C: out.append(0x5C); out.append(0x5C)
                    case 0x07: out.append(0x5C); out.append(0x61)
                    case 0x08: out.append(0x5C); out.append(0x62)
                    case 0x0C: out.append(0x5C); out.append(0x66)
                    case 0x0A: out.append(0x5C); out.append(0x6E)
                    case 0x0D: out.append(0x5C); out.append(0x72)
                    case 0x09: out.append(0x5C); out.append(0x74)
                    case 0x0B: out.append(0x5C); out.append(0x76)
                    case 0x20...0x7E: out.append(b)
                    default: out.append(contentsOf: [0x5C, 0x78, hexBytes[Int(b >> 4)], hexBytes[Int(b & 0xF)]])
                    }
                    continue
                }
                let width = min(b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2, n - i)
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + width)]), as: UTF8.self)
                i += width
                var quoted = ""
                for scalar in text.unicodeScalars { append(scalar, to: &quoted) }
                out.append(contentsOf: quoted.utf8)
            }
        }
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")

    private static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        let v = scalar.value
        switch v {
        case 0x22: out.append("\\\"")
        case 0x5C: out.append("\\\\")
        case 0x07: out.append("\\a")
        case 0x08: out.append("\\b")
        case 0x0C: out.append("\\f")
        case 0x0A: out.append("\\n")
        case 0x0D: out.append("\\r")
        case 0x09: out.append("\\t")
        case 0x0B: out.append("\\v")
        case 0x20...0x7E:
            out.unicodeScalars.append(scalar)
        case 0..<0x20, 0x7F:
            out.append("\\x")
            out.append(hexDigits[Int(v >> 4)])
            out.append(hexDigits[Int(v & 0xF)])
        default:
            if isGoPrintable(scalar) {
                out.unicodeScalars.append(scalar)
            } else if v < 0x10000 {
                out.append("\\u")
                appendHex(v, digits: 4, to: &out)
            } else {
                out.append("\\U")
                appendHex(v, digits: 8, to: &out)
            }
        }
    }

    private static func appendHex(_ v: UInt32, digits: Int, to out: inout String) {
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)])
        }
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols, and U+0020.
    static func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
