/// Parser directives are read from the top of the file until the first line that is not
/// one (a comment, a blank line or an instruction), as BuildKit does.
struct DirectiveState {
    static let valid: Set<String> = ["escape", "syntax", "check"]

    var escapeToken: UInt8 = UInt8(ascii: "\\")
    var done = false
    var seen = Set<String>()
    var parsed: [ParserDirective] = []

    /// Looks at one (newline-trimmed) line; `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
    mutating func consider(_ s: [UInt8], _ r: Range<Int>, line: Int) throws(RecipeProblem) {
        if done { return }
        guard let (name, value) = Self.match(s, r) else {
            done = true
            return
        }
        let key = name.lowercased()
        guard Self.valid.contains(key) else {
            done = true
            return
        }
        if seen.contains(key) { throw .duplicateDirective(key) }
        seen.insert(key)
        parsed.append(ParserDirective(name: key, value: value, line: line))
        switch key {
        case "escape":
            guard value == "\\" || value == "`" else { throw .invalidEscapeToken(value) }
            escapeToken = value.utf8.first!
        case "check":
            try CheckDirective.validate(value)
        default:
            break
        }
    }

    private static func isRegexSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }

    private static func isAlpha(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static func match(_ s: [UInt8], _ r: Range<Int>) -> (String, String)? {
        var i = r.lowerBound
        let end = r.upperBound
        guard i < end, s[i] == UInt8(ascii: "#") else { return nil }
        i += 1
        while i < end, isRegexSpace(s[i]) { i += 1 }
        let nameStart = i
        guard i < end, isAlpha(s[i]) else { return nil }
        i += 1
        while i < end, isAlpha(s[i]) || (s[i] >= 0x30 && s[i] <= 0x39) { i += 1 }
        let name = ByteText.string(s, nameStart..<i)
        while i < end, isRegexSpace(s[i]) { i += 1 }
        guard i < end, s[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        while i < end, isRegexSpace(s[i]) { i += 1 }
        var e = end
        while e > i, isRegexSpace(s[e - 1]) { e -= 1 }
        guard e > i else { return nil }
        return (name, ByteText.string(s, i..<e))
    }
}
