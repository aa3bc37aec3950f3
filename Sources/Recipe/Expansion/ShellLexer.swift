/// Word splitting and variable expansion exactly as BuildKit's Dockerfile frontend does
/// it: quotes, the escape token, `$V`, `${V}`, `${V:-x}`, `${V-x}`, `${V:+x}`, `${V+x}`,
/// `${V:?msg}`, `${V?msg}`, `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`, `${V/p/r}`, `${V//p/r}`.
public struct ShellLexer: Sendable {
    public var escapeToken: Unicode.Scalar
    /// Keep quote characters in the output (used to detect quoted heredoc names).
    public var rawQuotes = false
    /// Keep escape characters in the output.
    public var rawEscapes = false
    /// Treat quotes as ordinary characters.
    public var skipProcessQuotes = false
    /// Leave references to unset variables as written instead of expanding them to "".
    public var skipUnsetEnv = false

    public init(escapeToken: Unicode.Scalar = "\\") {
        self.escapeToken = escapeToken
    }

    /// Expands `word` and returns the result as one string.
    public func expand(_ word: String, environment: [String: String]) throws(ExpansionError) -> String {
        try process(word, environment: environment).result
    }

    /// Expands `word` and splits it into words (after expansion, honouring quotes).
    public func words(_ word: String, environment: [String: String]) throws(ExpansionError) -> [String] {
        try process(word, environment: environment).words
    }

    public func process(_ word: String, environment: [String: String]) throws(ExpansionError) -> ExpansionResult {
        var state = ShellWordState(lexer: self, source: Array(word.unicodeScalars), environment: environment)
        do {
            let (result, words) = try state.processStopOn(nil, rawEscapes: rawEscapes)
            return ExpansionResult(
                result: String(result), words: words, matched: state.matched, unmatched: state.unmatched)
        } catch {
            throw .inWord(word, error)
        }
    }
}

/// The cursor over one word being expanded.
struct ShellWordState {
    let lexer: ShellLexer
    let source: [Unicode.Scalar]
    let environment: [String: String]
    var pos = 0
    var rawEscapes: Bool
    var matched = Set<String>()
    var unmatched = Set<String>()

    init(lexer: ShellLexer, source: [Unicode.Scalar], environment: [String: String]) {
        self.lexer = lexer
        self.source = source
        self.environment = environment
        self.rawEscapes = lexer.rawEscapes
    }

    func peek() -> Unicode.Scalar? { pos < source.count ? source[pos] : nil }

    mutating func next() -> Unicode.Scalar? {
        guard pos < source.count else { return nil }
        defer { pos += 1 }
        return source[pos]
    }

    mutating func processStopOn(_ stop: Unicode.Scalar?, rawEscapes: Bool) throws(ExpansionError) -> (String.UnicodeScalarView, [String]) {
        var result = String.UnicodeScalarView()
        var words = WordAccumulator()
        let saved = self.rawEscapes
        self.rawEscapes = rawEscapes
        defer { self.rawEscapes = saved }

        while let ch = peek() {
            if let stop, ch == stop {
                pos += 1
                return (result, words.finish())
            }
            if ch == "$" {
                let tmp = try processDollar()
                result.append(contentsOf: tmp)
                words.addString(tmp)
            } else if !lexer.skipProcessQuotes && ch == "'" {
                let tmp = try processSingleQuote()
                result.append(contentsOf: tmp)
                words.addRawString(tmp)
            } else if !lexer.skipProcessQuotes && ch == "\"" {
                let tmp = try processDoubleQuote()
                result.append(contentsOf: tmp)
                words.addRawString(tmp)
            } else {
                pos += 1
                var c = ch
                if c == lexer.escapeToken {
                    if self.rawEscapes {
                        words.addRawChar(c)
                        result.append(c)
                    }
                    guard let escaped = next() else { break }
                    c = escaped
                    words.addRawChar(c)
                } else {
                    words.addChar(c)
                }
                result.append(c)
            }
        }
        if let stop {
            throw .unexpectedEnd(lookingFor: stop)
        }
        return (result, words.finish())
    }

    mutating func processSingleQuote() throws(ExpansionError) -> String.UnicodeScalarView {
        var result = String.UnicodeScalarView()
        let open = next()!
        if lexer.rawQuotes { result.append(open) }
        while true {
            guard let ch = next() else { throw .unterminatedQuote(single: true) }
            if ch == "'" {
                if lexer.rawQuotes { result.append(ch) }
                return result
            }
            result.append(ch)
        }
    }

    mutating func processDoubleQuote() throws(ExpansionError) -> String.UnicodeScalarView {
        var result = String.UnicodeScalarView()
        let open = next()!
        if lexer.rawQuotes { result.append(open) }
        while true {
            guard let ch = peek() else { throw .unterminatedQuote(single: false) }
            switch ch {
            case "\"":
                pos += 1
                if lexer.rawQuotes { result.append(ch) }
                return result
            case "$":
                result.append(contentsOf: try processDollar())
            default:
                pos += 1
                var c = ch
                if c == lexer.escapeToken {
                    if rawEscapes { result.append(c) }
                    guard let following = peek() else { continue }
                    if following == "\"" || following == "$" || following == lexer.escapeToken {
                        pos += 1
                        c = following
                    }
                }
                result.append(c)
            }
        }
    }

    mutating func processDollar() throws(ExpansionError) -> String.UnicodeScalarView {
        pos += 1  // '$'
        if peek() != "{" {
            let name = processName()
            if name.isEmpty { return "$".unicodeScalars }
            let (value, found) = lookup(name)
            if !found && lexer.skipUnsetEnv { return ("$" + name).unicodeScalars }
            return value.unicodeScalars
        }
        pos += 1  // '{'
        switch peek() {
        case nil: throw .missingClosingBrace
        case "{", "}", ":": throw .badSubstitution
        default: break
        }
        let name = processName()
        let first = next()
        var modifier = first.map { String($0) } ?? "\u{FFFD}"
        var nullIsUnset = false
        var ch = first

        switch ch {
        case "}":
            let (value, found) = lookup(name)
            if !found && lexer.skipUnsetEnv { return "${\(name)}".unicodeScalars }
            return value.unicodeScalars
        case "/":
            let replaceAll = peek() == "/"
            if replaceAll { pos += 1 }
            let pattern: String.UnicodeScalarView
            do {
                pattern = try processStopOn("/", rawEscapes: true).0
            } catch {
                if peek() == nil { throw .missingSlash }
                throw error
            }
            let replacement: String.UnicodeScalarView
            do {
                replacement = try processStopOn("}", rawEscapes: true).0
            } catch {
                if peek() == nil { throw .missingClosingBrace }
                throw error
            }
            let (value, found) = lookup(name)
            if lexer.skipUnsetEnv && !found {
                return "${\(name)/\(String(pattern))/\(String(replacement))}".unicodeScalars
            }
            let compiled = try ShellPattern(Array(pattern))
            return Self.replace(
                in: Array(value.unicodeScalars), pattern: compiled, with: Array(replacement), all: replaceAll)
        case ":", "+", "-", "?", "#", "%":
            if ch == ":" {
                nullIsUnset = true
                ch = next()
                modifier += ch.map { String($0) } ?? "\u{FFFD}"
            }
            let raw = ch == "#" || ch == "%"
            var word: String.UnicodeScalarView
            do {
                word = try processStopOn("}", rawEscapes: raw).0
            } catch {
                if peek() == nil { throw .missingClosingBrace }
                throw error
            }
            let (value, set) = lookup(name)
            if lexer.skipUnsetEnv && !set {
                return "${\(name)\(modifier)\(String(word))}".unicodeScalars
            }
            switch ch {
            case "-":
                return (!set || (nullIsUnset && value.isEmpty)) ? word : value.unicodeScalars
            case "+":
                return (!set || (nullIsUnset && value.isEmpty)) ? String.UnicodeScalarView() : word
            case "?":
                if !set {
                    throw .variableRequired(name: name, message: word.isEmpty ? "is not allowed to be unset" : String(word))
                }
                if nullIsUnset && value.isEmpty {
                    throw .variableRequired(name: name, message: word.isEmpty ? "is not allowed to be empty" : String(word))
                }
                return value.unicodeScalars
            case "%", "#":
                var greedy = false
                if let first = word.first, first == ch {
                    greedy = true
                    word.removeFirst()
                }
                let pattern = try ShellPattern(Array(word))
                let scalars = Array(value.unicodeScalars)
                if ch == "#" {
                    guard let end = pattern.matchEnd(in: scalars, at: 0, greedy: greedy) else { return value.unicodeScalars }
                    return String.UnicodeScalarView(scalars[end...])
                }
                let reversedValue = Array(scalars.reversed())
                guard let end = pattern.reversed().matchEnd(in: reversedValue, at: 0, greedy: greedy) else {
                    return value.unicodeScalars
                }
                return String.UnicodeScalarView(scalars[..<(scalars.count - end)])
            default:
                throw .unsupportedModifier(modifier)
            }
        default:
            throw .unsupportedModifier(modifier)
        }
    }

    mutating func processName() -> String {
        var name = String.UnicodeScalarView()
        while let ch = peek() {
            if name.isEmpty && ch.isGoDigit {
                while let d = peek(), d.isGoDigit {
                    name.append(d)
                    pos += 1
                }
                return String(name)
            }
            if name.isEmpty && Self.isSpecialParameter(ch) {
                pos += 1
                return String(ch)
            }
            if !ch.isGoLetter && !ch.isGoDigit && ch != "_" { break }
            name.append(ch)
            pos += 1
        }
        return String(name)
    }

    static func isSpecialParameter(_ ch: Unicode.Scalar) -> Bool {
        switch ch {
        case "@", "*", "#", "?", "-", "$", "!", "0": return true
        default: return false
        }
    }

    mutating func lookup(_ name: String) -> (String, Bool) {
        if let value = environment[name] {
            matched.insert(name)
            return (value, true)
        }
        unmatched.insert(name)
        return ("", false)
    }

    /// Replaces the first (or every) match as Go's regexp `ReplaceAllString` would,
    /// including its `$0`/`${name}` expansion of the replacement.
    static func replace(
        in value: [Unicode.Scalar], pattern: ShellPattern, with replacement: [Unicode.Scalar], all: Bool
    ) -> String.UnicodeScalarView {
        let ends = pattern.matchEnds(in: value, greedy: true)
        func firstMatch(from: Int) -> (Int, Int)? {
            var s = from
            while s <= value.count {
                if ends[s] >= 0 { return (s, ends[s]) }
                s += 1
            }
            return nil
        }
        var out = String.UnicodeScalarView()
        if !all {
            guard let (s, e) = firstMatch(from: 0) else { return String.UnicodeScalarView(value) }
            out.append(contentsOf: value[..<s])
            out.append(contentsOf: expandTemplate(replacement, match: value[s..<e]))
            out.append(contentsOf: value[e...])
            return out
        }
        var searchPos = 0
        var lastMatchEnd = 0
        while searchPos <= value.count {
            guard let (s, e) = firstMatch(from: searchPos) else { break }
            out.append(contentsOf: value[lastMatchEnd..<s])
            if e > lastMatchEnd || s == 0 {
                out.append(contentsOf: expandTemplate(replacement, match: value[s..<e]))
            }
            lastMatchEnd = e
            if searchPos + 1 > e { searchPos += 1 } else { searchPos = e }
        }
        if lastMatchEnd < value.count { out.append(contentsOf: value[lastMatchEnd...]) }
        return out
    }

    /// Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0`/`${0}` the
    /// match, any other `$name` empty, a malformed `$` literal.
    static func expandTemplate(_ template: [Unicode.Scalar], match: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < template.count {
            let ch = template[i]
            guard ch == "$" else {
                out.append(ch)
                i += 1
                continue
            }
            i += 1
            if i < template.count, template[i] == "$" {
                out.append("$")
                i += 1
                continue
            }
            var j = i
            let brace = j < template.count && template[j] == "{"
            if brace { j += 1 }
            let nameStart = j
            while j < template.count, template[j].isGoLetter || template[j].isGoDigit || template[j] == "_" { j += 1 }
            let name = template[nameStart..<j]
            if name.isEmpty || (brace && (j >= template.count || template[j] != "}")) {
                out.append("$")
                continue
            }
            if brace { j += 1 }
            i = j
            if name.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }),
                let number = Int(String(String.UnicodeScalarView(name))), number == 0
            {
                out.append(contentsOf: match)
            }
        }
        return out
    }
}
