/// One `.dockerignore` pattern, compiled the way Docker's patternmatcher compiles it:
/// `*` and `?` stay inside one path element, `**` crosses elements, `[…]` classes and
/// `\` escapes work, and a pattern also excludes everything below a matched directory.
public struct IgnorePattern: Sendable, Hashable {
    enum Token: Hashable, Sendable {
        case literal(Unicode.Scalar)
        case star  // [^/]*
        case one  // [^/]
        case anything  // .*
        case anyDirectories  // (.*/)?
        case set(negated: Bool, items: [ClosedRange<UInt32>])
    }

    enum MatchType: Hashable, Sendable { case exact, prefix, suffix, pattern }

    /// The cleaned pattern without its `!`.
    public let text: String
    /// `!pattern`: re-includes what earlier patterns excluded.
    public let isExclusion: Bool
    let matchType: MatchType
    let tokens: [Token]

    public init(_ raw: String) throws(IgnoreError) {
        var p = raw.trimmingGoSpace()
        var exclusion = false
        if p.hasPrefix("!") {
            guard p.count > 1 else { throw .illegalExclusion }
            exclusion = true
            p = String(p.dropFirst())
        }
        p = PathClean.clean(p)
        guard Self.isValid(p) else { throw .badPattern(raw) }
        self.text = p
        self.isExclusion = exclusion
        (self.matchType, self.tokens) = Self.compile(p)
    }

    /// Whether Go's `filepath.Match` accepts the pattern (closed classes, no trailing `\`).
    public static func isValid(_ pattern: String) -> Bool {
        let s = Array(pattern.unicodeScalars)
        var i = 0
        while i < s.count {
            switch s[i] {
            case "\\":
                if i + 1 >= s.count { return false }
                i += 2
            case "[":
                i += 1
                if i < s.count, s[i] == "^" { i += 1 }
                var count = 0
                while true {
                    guard i < s.count else { return false }
                    if s[i] == "]" && count > 0 { break }
                    var lo = s[i]
                    if lo == "\\" {
                        i += 1
                        guard i < s.count else { return false }
                        lo = s[i]
                    } else if lo == "-" || (lo == "]" && count == 0) {
                        return false
                    }
                    i += 1
                    if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                        i += 1
                        var hi = s[i]
                        if hi == "\\" {
                            i += 1
                            guard i < s.count else { return false }
                            hi = s[i]
                        }
                        if hi.value < lo.value { return false }
                        i += 1
                    }
                    count += 1
                }
                i += 1
            default:
                i += 1
            }
        }
        return true
    }

    static func compile(_ pattern: String) -> (MatchType, [Token]) {
        let s = Array(pattern.unicodeScalars)
        var tokens: [Token] = []
        var type = MatchType.exact
        var i = 0
        var index = 0
        while i < s.count {
            let ch = s[i]
            i += 1
            defer { index += 1 }
            switch ch {
            case "*":
                if i < s.count, s[i] == "*" {
                    i += 1
                    if i < s.count, s[i] == "/" { i += 1 }
                    if i >= s.count {
                        if type == .exact {
                            type = .prefix
                        } else {
                            tokens.append(.anything)
                            type = .pattern
                        }
                    } else {
                        tokens.append(.anyDirectories)
                        type = .pattern
                    }
                    if index == 0 { type = .suffix }
                } else {
                    tokens.append(.star)
                    type = .pattern
                }
            case "?":
                tokens.append(.one)
                type = .pattern
            case "\\":
                if i < s.count {
                    tokens.append(.literal(s[i]))
                    i += 1
                    type = .pattern
                } else {
                    tokens.append(.literal("\\"))
                }
            case "[":
                var negated = false
                if i < s.count, s[i] == "^" {
                    negated = true
                    i += 1
                }
                var items: [ClosedRange<UInt32>] = []
                while i < s.count, s[i] != "]" || items.isEmpty {
                    var lo = s[i]
                    if lo == "\\", i + 1 < s.count {
                        i += 1
                        lo = s[i]
                    }
                    i += 1
                    var hi = lo
                    if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                        hi = s[i + 1]
                        i += 2
                        if hi == "\\", i < s.count {
                            hi = s[i]
                            i += 1
                        }
                    }
                    items.append(lo.value...max(lo.value, hi.value))
                }
                i += 1  // ]
                tokens.append(.set(negated: negated, items: items))
                type = .pattern
            default:
                tokens.append(.literal(ch))
            }
        }
        return (type, tokens)
    }

    /// Whether this pattern matches the slash-separated relative path.
    func matches(_ path: String) -> Bool {
        switch matchType {
        case .exact:
            return path == text
        case .prefix:
            return path.hasPrefix(String(text.dropLast(2)))
        case .suffix:
            let suffix = String(text.dropFirst(2))
            if path.hasSuffix(suffix) { return true }
            return suffix.hasPrefix("/") && path == String(suffix.dropFirst())
        case .pattern:
            return fullMatch(Array(path.unicodeScalars))
        }
    }

    /// Whether the tokens match the whole value, bottom-up in O(tokens × length).
    private func fullMatch(_ v: [Unicode.Scalar]) -> Bool {
        let n = v.count
        var next = [Bool](repeating: false, count: n + 1)
        next[n] = true
        var cur = [Bool](repeating: false, count: n + 1)
        for token in tokens.reversed() {
            switch token {
            case .literal(let ch):
                for vi in 0...n { cur[vi] = vi < n && v[vi] == ch && next[vi + 1] }
            case .one:
                for vi in 0...n { cur[vi] = vi < n && v[vi] != "/" && v[vi] != "\n" && next[vi + 1] }
            case .set(let negated, let items):
                for vi in 0...n {
                    guard vi < n else { cur[vi] = false; continue }
                    let inSet = items.contains { $0.contains(v[vi].value) }
                    cur[vi] = inSet != negated && (!negated || v[vi] != "\n") && next[vi + 1]
                }
            case .star, .anything:
                let stopAtSlash: Bool
                if case .star = token { stopAtSlash = true } else { stopAtSlash = false }
                cur[n] = next[n]
                var vi = n - 1
                while vi >= 0 {
                    let extend = v[vi] != "\n" && !(stopAtSlash && v[vi] == "/") && cur[vi + 1]
                    cur[vi] = next[vi] || extend
                    vi -= 1
                }
            case .anyDirectories:
                // (.*/)? : stop here, or run to some '/' (no newline) and continue after it.
                var reach = false
                cur[n] = next[n]
                var vi = n - 1
                while vi >= 0 {
                    if v[vi] == "\n" {
                        reach = false
                    } else if v[vi] == "/" && next[vi + 1] {
                        reach = true
                    }
                    cur[vi] = next[vi] || reach
                    vi -= 1
                }
            }
            swap(&cur, &next)
        }
        return next[0]
    }
}
