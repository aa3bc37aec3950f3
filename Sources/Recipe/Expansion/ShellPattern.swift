/// The shell wildcard patterns of `${V#p}`, `${V%p}` and `${V/p/r}`: `*` any run of
/// characters, `?` one character, `\` escapes `*`, `?` and `\` (and is dropped before `}`
/// and `/`). No bracket expressions, as in BuildKit. Like Go's regexp `.`, neither
/// wildcard matches a newline.
struct ShellPattern {
    enum Token: Equatable {
        case star
        case any
        case literal(Unicode.Scalar)
    }

    private(set) var tokens: [Token]

    init(_ pattern: [Unicode.Scalar]) throws(ExpansionError) {
        var tokens: [Token] = []
        var i = 0
        while i < pattern.count {
            let ch = pattern[i]
            i += 1
            switch ch {
            case "*": tokens.append(.star)
            case "?": tokens.append(.any)
            case "\\":
                if i < pattern.count, pattern[i] == "}" || pattern[i] == "/" {
                    continue
                }
                guard i < pattern.count else {
                    throw .invalidPattern(pattern: String(String.UnicodeScalarView(pattern)), detail: "invalid escape '\\'")
                }
                let escaped = pattern[i]
                i += 1
                guard escaped == "*" || escaped == "?" || escaped == "\\" else {
                    throw .invalidPattern(
                        pattern: String(String.UnicodeScalarView(pattern)), detail: "invalid escape '\\\(escaped)'")
                }
                tokens.append(.literal(escaped))
            default:
                tokens.append(.literal(ch))
            }
        }
        self.tokens = tokens
    }

    func reversed() -> ShellPattern {
        var copy = self
        copy.tokens.reverse()
        return copy
    }

    /// The end of the first match starting at `start`, in the order a backtracking regex
    /// engine would find it (greedy: longest runs first; otherwise shortest first).
    func matchEnd(in value: [Unicode.Scalar], at start: Int, greedy: Bool) -> Int? {
        var memo = PatternMemo(tokens: tokens.count, positions: value.count + 1)
        return match(0, start, value, greedy, &memo)
    }

    /// Like `matchEnd(in:at:greedy:)` for many start positions over one value, sharing the
    /// memo (a (token, position) result does not depend on where the match started).
    func matchEnd(in value: [Unicode.Scalar], at start: Int, greedy: Bool, memo: inout PatternMemo) -> Int? {
        match(0, start, value, greedy, &memo)
    }

    private func match(_ ti: Int, _ vi: Int, _ value: [Unicode.Scalar], _ greedy: Bool, _ memo: inout PatternMemo) -> Int? {
        if ti == tokens.count { return vi }
        if let known = memo[ti, vi] { return known }
        var found: Int?
        switch tokens[ti] {
        case .literal(let ch):
            if vi < value.count, value[vi] == ch { found = match(ti + 1, vi + 1, value, greedy, &memo) }
        case .any:
            if vi < value.count, value[vi] != "\n" { found = match(ti + 1, vi + 1, value, greedy, &memo) }
        case .star:
            var limit = vi
            while limit < value.count, value[limit] != "\n" { limit += 1 }
            if greedy {
                var k = limit
                while k >= vi {
                    if let e = match(ti + 1, k, value, greedy, &memo) { found = e; break }
                    k -= 1
                }
            } else {
                for k in vi...limit {
                    if let e = match(ti + 1, k, value, greedy, &memo) { found = e; break }
                }
            }
        }
        memo[ti, vi] = found
        return found
    }
}

/// Memo of (token, position) → first match end, so patterns with many stars stay polynomial.
struct PatternMemo {
    private var table: [Int32]
    private let positions: Int

    init(tokens: Int, positions: Int) {
        self.positions = positions
        self.table = Array(repeating: -2, count: max(1, tokens * positions))
    }

    subscript(ti: Int, vi: Int) -> Int?? {
        get {
            let v = table[ti * positions + vi]
            if v == -2 { return nil }
            return .some(v < 0 ? nil : Int(v))
        }
        set {
            guard let outer = newValue else { return }
            table[ti * positions + vi] = outer.map { Int32($0) } ?? -1
        }
    }
}
