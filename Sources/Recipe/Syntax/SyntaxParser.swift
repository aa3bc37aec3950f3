/// Splits recipe text into instructions exactly as BuildKit's Dockerfile parser does:
/// parser directives, comments, line continuations (with comment and blank lines inside
/// them), heredocs, and JSON versus shell form. It works on bytes in one pass.
public enum SyntaxParser {
    public static func parse(_ text: String, file: String) throws(RecipeError) -> SyntaxTree {
        try parse(Array(text.utf8), file: file)
    }

    public static func parse(_ s: [UInt8], file: String) throws(RecipeError) -> SyntaxTree {
        var directives = DirectiveState()
        var nodes: [SyntaxNode] = []
        var warnings: [RecipeWarning] = []
        var comments: [String] = []
        var lines = LineCursor(s)
        var currentLine = 0
        var sawContent = false
        var line: [UInt8] = []

        func fail(_ problem: RecipeProblem, _ startLine: Int, _ column: Int = 1) -> RecipeError {
            RecipeError(file: file, range: SourceRange(line: max(startLine, 1), column: column), problem: problem)
        }

        while var raw = lines.next() {
            if currentLine == 0, raw.count >= 3, s[raw.lowerBound] == 0xEF, s[raw.lowerBound + 1] == 0xBB,
                s[raw.lowerBound + 2] == 0xBF
            {
                raw = (raw.lowerBound + 3)..<raw.upperBound
            }
            let trimmed = ByteText.trimNewline(s, raw)
            let (token, indent) = ByteText.trimLeft(s, trimmed)
            if !token.isEmpty { sawContent = true }
            let isComment = !token.isEmpty && s[token.lowerBound] == UInt8(ascii: "#")
            do {
                try directives.consider(s, token, line: currentLine + 1)
            } catch {
                throw fail(error, currentLine + 1, indent + 1)
            }
            currentLine += 1
            if isComment {
                let text = ByteText.string(s, ByteText.trim(s, (token.lowerBound + 1)..<token.upperBound))
                if text.isEmpty { comments = [] } else { comments.append(text) }
                continue
            }
            let startLine = currentLine
            let column = indent + 1
            var lastLine = trimmed
            line.removeAll(keepingCapacity: true)
            var endOfLine = appendTrimmingContinuation(s, token, escape: directives.escapeToken, to: &line)
            if endOfLine && line.isEmpty { continue }

            var emptyContinuation = false
            while !endOfLine, let next = lines.next() {
                let nextTrimmed = ByteText.trimNewline(s, next)
                do {
                    try directives.consider(s, nextTrimmed, line: currentLine + 1)
                } catch {
                    throw fail(error, currentLine + 1)
                }
                currentLine += 1
                lastLine = nextTrimmed
                let (content, _) = ByteText.trimLeft(s, nextTrimmed)
                if !content.isEmpty && s[content.lowerBound] == UInt8(ascii: "#") { continue }
                if content.isEmpty {
                    emptyContinuation = true
                    continue
                }
                endOfLine = appendTrimmingContinuation(s, nextTrimmed, escape: directives.escapeToken, to: &line)
            }

            var node: SyntaxNode
            do {
                node = try makeNode(line, 0..<line.count, escape: directives.escapeToken)
            } catch {
                throw fail(error, startLine, column)
            }
            node.comments = comments
            comments = []
            if emptyContinuation {
                warnings.append(
                    RecipeWarning(
                        rule: "NoEmptyContinuation",
                        message: "Empty continuation line found in: \(node.original)",
                        range: SourceRange(line: startLine, column: column)))
            }

            if node.canContainHeredoc && Self.containsHeredocMarker(line) {
                let openers: [Heredoc]
                do {
                    openers = try Heredoc.openers(in: node.original)
                } catch {
                    throw fail(.heredocLexing(error), startLine, column)
                }
                for var doc in openers {
                    var terminated = false
                    var body: [UInt8] = []
                    doc.startLine = currentLine + 1
                    while let next = lines.next() {
                        currentLine += 1
                        var candidate = ByteText.trimNewline(s, next)
                        lastLine = candidate
                        if doc.chomp {
                            var i = candidate.lowerBound
                            while i < candidate.upperBound, s[i] == 0x09 { i += 1 }
                            candidate = i..<candidate.upperBound
                        }
                        if s[candidate].elementsEqual(doc.name.utf8) {
                            terminated = true
                            break
                        }
                        body.append(contentsOf: s[next])
                    }
                    guard terminated else { throw fail(.unterminatedHeredoc(doc.name), startLine, column) }
                    doc.endLine = currentLine - 1
                    doc.content = String(decoding: body, as: UTF8.self)
                    node.heredocs.append(doc)
                }
            }
            node.range = SourceRange(
                start: SourcePosition(line: startLine, column: column),
                end: SourcePosition(line: currentLine, column: max(1, ByteText.scalarCount(s, lastLine))))
            nodes.append(node)
        }

        if nodes.isEmpty {
            throw fail(sawContent ? .noInstructions : .emptyRecipe, max(currentLine, 1))
        }
        return SyntaxTree(
            nodes: nodes, directives: directives.parsed, escapeToken: Unicode.Scalar(directives.escapeToken),
            warnings: warnings)
    }

    static func containsHeredocMarker(_ line: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for b in line {
            if b == UInt8(ascii: "<") && previous == UInt8(ascii: "<") { return true }
            previous = b
        }
        return false
    }

    /// Appends `s[r]` to `line`, dropping a trailing continuation token (BuildKit's
    /// `([^E])E[ \t]*$|^E[ \t]*$`). Returns true when the logical line ends here.
    static func appendTrimmingContinuation(_ s: [UInt8], _ r: Range<Int>, escape: UInt8, to line: inout [UInt8]) -> Bool {
        var e = r.upperBound
        while e > r.lowerBound, s[e - 1] == 0x20 || s[e - 1] == 0x09 { e -= 1 }
        if e > r.lowerBound, s[e - 1] == escape {
            let escapeAt = e - 1
            if escapeAt == r.lowerBound {
                return false
            }
            if s[escapeAt - 1] != escape {
                line.append(contentsOf: s[r.lowerBound..<escapeAt])
                return false
            }
        }
        line.append(contentsOf: s[r])
        return true
    }

    /// BuildKit's `newNodeFromLine`: keyword, flags, then the keyword's argument splitter.
    static func makeNode(_ s: [UInt8], _ r: Range<Int>, escape: UInt8) throws(RecipeProblem) -> SyntaxNode {
        let trimmed = ByteText.trim(s, r)
        var i = trimmed.lowerBound
        while i < trimmed.upperBound, !ByteText.isSeparator(s[i]) { i += 1 }
        let keyword = ByteText.string(s, trimmed.lowerBound..<i)
        while i < trimmed.upperBound, ByteText.isSeparator(s[i]) { i += 1 }
        var flags: [String] = []
        var argsRange = i..<trimmed.upperBound
        if !argsRange.isEmpty {
            let (found, restStart) = ArgumentSplitter.builderFlags(s, argsRange)
            flags = found
            argsRange = ByteText.trim(s, restStart..<trimmed.upperBound)
        }
        let name = keyword.lowercased()
        var node = SyntaxNode(keyword: keyword, flags: flags, original: ByteText.string(s, r))
        if name == "onbuild" {
            if !argsRange.isEmpty {
                var inner = try makeNode(s, argsRange, escape: escape)
                inner.original = ByteText.string(s, argsRange)
                node.trigger = [inner]
            }
            return node
        }
        let split = try ArgumentSplitter.dispatch(name, s, argsRange, escape: escape)
        node.arguments = split.arguments
        node.isJSON = split.isJSON
        return node
    }
}

/// Lines of a byte buffer, each with its line ending (BuildKit's `scanLines`).
struct LineCursor {
    let s: [UInt8]
    var pos = 0

    init(_ s: [UInt8]) { self.s = s }

    mutating func next() -> Range<Int>? {
        guard pos < s.count else { return nil }
        let start = pos
        if let nl = s[pos...].firstIndex(of: 0x0A) {
            pos = nl + 1
        } else {
            pos = s.count
        }
        return start..<pos
    }
}
