/// Reads the exec form `["a", "b"]` exactly as BuildKit does with Go's `encoding/json`:
/// invalid JSON is not an error (the line is shell form instead), valid JSON whose
/// elements are not all strings is.
enum GoJSONArray {
    enum Outcome: Equatable {
        case notJSON
        case strings([String])
        case notStringArray
    }

    static func parse(_ s: [UInt8], _ r: Range<Int>) -> Outcome {
        var reader = Reader(s: s, i: r.lowerBound, end: r.upperBound)
        // strings.TrimLeftFunc(rest, unicode.IsSpace)
        reader.i = ByteText.trimLeft(s, r).0.lowerBound
        guard reader.i < reader.end, s[reader.i] == UInt8(ascii: "[") else { return .notJSON }
        var items: [String?] = []
        guard reader.array(collect: &items) else { return .notJSON }
        reader.skipWhitespace()
        guard reader.i == reader.end else { return .notJSON }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard let item else { return .notStringArray }
            strings.append(item)
        }
        return .strings(strings)
    }

    private struct Reader {
        let s: [UInt8]
        var i: Int
        let end: Int

        mutating func skipWhitespace() {
            while i < end, s[i] == 0x20 || s[i] == 0x09 || s[i] == 0x0A || s[i] == 0x0D { i += 1 }
        }

        /// Top-level array: collects strings, or nil for any other element kind.
        mutating func array(collect: inout [String?]) -> Bool {
            i += 1  // [
            skipWhitespace()
            if i < end, s[i] == UInt8(ascii: "]") {
                i += 1
                return true
            }
            while true {
                skipWhitespace()
                guard i < end else { return false }
                if s[i] == UInt8(ascii: "\"") {
                    guard let str = string() else { return false }
                    collect.append(str)
                } else {
                    guard value() else { return false }
                    collect.append(nil)
                }
                skipWhitespace()
                guard i < end else { return false }
                if s[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if s[i] == UInt8(ascii: "]") {
                    i += 1
                    return true
                }
                return false
            }
        }

        /// Any JSON value, validated and skipped.
        mutating func value() -> Bool {
            skipWhitespace()
            guard i < end else { return false }
            switch s[i] {
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "["):
                var ignored: [String?] = []
                return array(collect: &ignored)
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func object() -> Bool {
            i += 1
            skipWhitespace()
            if i < end, s[i] == UInt8(ascii: "}") {
                i += 1
                return true
            }
            while true {
                skipWhitespace()
                guard i < end, s[i] == UInt8(ascii: "\""), string() != nil else { return false }
                skipWhitespace()
                guard i < end, s[i] == UInt8(ascii: ":") else { return false }
                i += 1
                guard value() else { return false }
                skipWhitespace()
                guard i < end else { return false }
                if s[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if s[i] == UInt8(ascii: "}") {
                    i += 1
                    return true
                }
                return false
            }
        }

        mutating func literal(_ word: String) -> Bool {
            let bytes = Array(word.utf8)
            guard end - i >= bytes.count, s[i..<(i + bytes.count)].elementsEqual(bytes) else { return false }
            i += bytes.count
            return true
        }

        mutating func number() -> Bool {
            func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            if i < end, s[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, digit(s[i]) else { return false }
            if s[i] == 0x30 {
                i += 1
            } else {
                while i < end, digit(s[i]) { i += 1 }
            }
            if i < end, s[i] == UInt8(ascii: ".") {
                i += 1
                guard i < end, digit(s[i]) else { return false }
                while i < end, digit(s[i]) { i += 1 }
            }
            if i < end, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
                i += 1
                if i < end, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
                guard i < end, digit(s[i]) else { return false }
                while i < end, digit(s[i]) { i += 1 }
            }
            return true
        }

        private static func hexValue(_ b: UInt8) -> UInt32? {
            switch b {
            case 0x30...0x39: return UInt32(b - 0x30)
            case 0x41...0x46: return UInt32(b - 0x41 + 10)
            case 0x61...0x66: return UInt32(b - 0x61 + 10)
            default: return nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard end - i >= 4 else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let h = Self.hexValue(s[i + k]) else { return nil }
                v = v << 4 | h
            }
            i += 4
            return v
        }

        /// A JSON string; invalid UTF-8 and lone surrogates become U+FFFD, as in Go.
        mutating func string() -> String? {
            i += 1  // opening quote
            var bytes: [UInt8] = []
            while i < end {
                let b = s[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: bytes, as: UTF8.self)
                }
                if b < 0x20 { return nil }
                if b != UInt8(ascii: "\\") {
                    bytes.append(b)
                    i += 1
                    continue
                }
                i += 1
                guard i < end else { return nil }
                let e = s[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if code >= 0xD800 && code < 0xDC00 {
                        // A high surrogate: pair it if a low one follows.
                        let save = i
                        if end - i >= 6, s[i] == UInt8(ascii: "\\"), s[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            if let low = hex4(), low >= 0xDC00 && low < 0xE000 {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                i = save
                                code = 0xFFFD
                            }
                        } else {
                            code = 0xFFFD
                        }
                    } else if code >= 0xDC00 && code < 0xE000 {
                        code = 0xFFFD
                    }
                    bytes.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
                default:
                    return nil
                }
            }
            return nil
        }
    }
}
