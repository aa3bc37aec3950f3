/// Finds the column of the offending token (a flag, a word) for an error message; only
/// used on the error path, so it may scan.
struct SourceLocator {
    let source: [UInt8]

    func lineText(_ line: Int) -> String? {
        var current = 1
        var start = 0
        var i = 0
        while i < source.count, current < line {
            if source[i] == 0x0A {
                current += 1
                start = i + 1
            }
            i += 1
        }
        guard current == line, start <= source.count else { return nil }
        var end = start
        while end < source.count, source[end] != 0x0A, source[end] != 0x0D { end += 1 }
        return String(decoding: source[start..<end], as: UTF8.self)
    }

    static func scalarOffset(of needle: String, in text: String) -> Int? {
        let hay = Array(text.unicodeScalars)
        let pin = Array(needle.unicodeScalars)
        guard !pin.isEmpty, hay.count >= pin.count else { return nil }
        for start in 0...(hay.count - pin.count) where hay[start..<(start + pin.count)].elementsEqual(pin) {
            return start
        }
        return nil
    }

    func range(of problem: RecipeProblem, in node: SyntaxNode) -> SourceRange {
        let needle: String?
        switch problem {
        case .unknownFlag(_, let flag, _), .duplicateFlag(let flag), .missingFlagValue(let flag),
            .invalidBooleanFlag(let flag, _):
            needle = "--" + flag
        case .invalidFlagValue(let flag, let value, _):
            needle = ["port", "signal"].contains(flag) ? value : "--" + flag
        case .flagSyntax(let arg): needle = arg
        case .invalidMount: needle = "--mount"
        case .invalidExclude: needle = "--exclude"
        case .invalidStageName(let name): needle = name
        case .durationTooShort(let flag), .invalidDuration(let flag, _): needle = "--" + flag
        case .missingEquals(let word): needle = word
        default: needle = nil
        }
        guard let needle, !needle.isEmpty else { return SourceRange(start: node.range.start, end: node.range.start) }
        for line in node.range.start.line...max(node.range.start.line, node.range.end.line) {
            guard let text = lineText(line), let offset = Self.scalarOffset(of: needle, in: text) else { continue }
            let column = offset + 1
            let position = SourcePosition(line: line, column: column)
            return SourceRange(start: position, end: SourcePosition(line: line, column: column + needle.unicodeScalars.count - 1))
        }
        return SourceRange(start: node.range.start, end: node.range.start)
    }
}
