import Recipe

/// Renders recipe problems the way compilers do: `FILE:LINE:COL: error: WHAT`, then the
/// offending line and a caret under the column.
public enum DiagnosticRenderer {
    public static func render(_ error: RecipeError, source: [UInt8]) -> String {
        render(severity: "error", file: error.file, range: error.range, message: error.problem.description, source: source)
    }

    public static func render(_ warning: RecipeWarning, file: String, source: [UInt8]) -> String {
        render(severity: "warning", file: file, range: warning.range, message: warning.description, source: source, snippet: false)
    }

    static func render(severity: String, file: String, range: SourceRange, message: String, source: [UInt8], snippet: Bool = true) -> String {
        var out = "\(file):\(range.start.line):\(range.start.column): \(severity): \(message)\n"
        guard snippet, let line = lineText(range.start.line, in: source), !line.isEmpty else { return out }
        let display = line.replacingTabs()
        out += "  \(display)\n"
        let prefix = line.unicodeScalars.prefix(max(0, range.start.column - 1))
        let pad = prefix.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
        let width = range.end.line == range.start.line ? max(1, range.end.column - range.start.column + 1) : 1
        out += "  " + String(repeating: " ", count: pad) + "^" + String(repeating: "~", count: width - 1) + "\n"
        return out
    }

    static func lineText(_ number: Int, in source: [UInt8]) -> String? {
        guard number >= 1 else { return nil }
        var line = 1
        var start = 0
        if source.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var i = start
        while i < source.count, line < number {
            if source[i] == 0x0A {
                line += 1
                start = i + 1
            }
            i += 1
        }
        guard line == number, start < source.count || (start == source.count && number == 1) else { return nil }
        var end = start
        while end < source.count, source[end] != 0x0A, source[end] != 0x0D { end += 1 }
        return String(decoding: source[start..<end], as: UTF8.self)
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        var out = ""
        for ch in unicodeScalars { if ch == "\t" { out += "    " } else { out.unicodeScalars.append(ch) } }
        return out
    }
}
