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
            let value = Array(path.unicodeScalars)
            var memo = PatternMemo(tokens: tokens.count, positions: value.count + 1)
            return match(0, 0, value, &memo) == value.count
        }
    }

    /// Anchored match: returns value.count when the whole path matches.
    private func match(_ ti: Int, _ vi: Int, _ v: [Unicode.Scalar], _ memo: inout PatternMemo) -> Int? {
        if ti == tokens.count { return vi == v.count ? vi : nil }
        if let known = memo[ti, vi] { return known }
        var found: Int?
        switch tokens[ti] {
        case .literal(let ch):
            if vi < v.count, v[vi] == ch { found = match(ti + 1, vi + 1, v, &memo) }
        case .one:
            if vi < v.count, v[vi] != "/", v[vi] != "\n" { found = match(ti + 1, vi + 1, v, &memo) }
        case .set(let negated, let items):
            if vi < v.count {
                let inSet = items.contains { $0.contains(v[vi].value) }
                if inSet != negated && (!negated || v[vi] != "\n") { found = match(ti + 1, vi + 1, v, &memo) }
            }
        case .star:
            var k = vi
            while true {
                if let e = match(ti + 1, k, v, &memo) { found = e; break }
                guard k < v.count, v[k] != "/", v[k] != "\n" else { break }
                k += 1
            }
        case .anything:
            var k = vi
            while true {
                if let e = match(ti + 1, k, v, &memo) { found = e; break }
                guard k < v.count, v[k] != "\n" else { break }
                k += 1
            }
        case .anyDirectories:
            if let e = match(ti + 1, vi, v, &memo) {
                found = e
            } else {
                var k = vi
                while k < v.count, v[k] != "\n" {
                    if v[k] == "/", let e = match(ti + 1, k + 1, v, &memo) { found = e; break }
                    k += 1
                }
            }
        }
        memo[ti, vi] = found
        return found
    }
}
