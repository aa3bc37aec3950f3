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

    /// For every start position, the end of the first match starting there, in the order a
    /// backtracking regex engine would find it (greedy: longest runs first; otherwise
    /// shortest first); -1 where none. Computed bottom-up in O(tokens × length) time and
    /// O(length) memory: a star either stops here or takes one more character.
    func matchEnds(in value: [Unicode.Scalar], greedy: Bool) -> [Int] {
        let n = value.count
        var next = Array(0...n)  // past the last token: the match ends where it stands
        var cur = [Int](repeating: -1, count: n + 1)
        for token in tokens.reversed() {
            switch token {
            case .literal(let ch):
                for vi in 0...n { cur[vi] = vi < n && value[vi] == ch ? next[vi + 1] : -1 }
            case .any:
                for vi in 0...n { cur[vi] = vi < n && value[vi] != "\n" ? next[vi + 1] : -1 }
            case .star:
                cur[n] = next[n]
                var vi = n - 1
                while vi >= 0 {
                    let extend = value[vi] != "\n" ? cur[vi + 1] : -1
                    if greedy {
                        cur[vi] = extend >= 0 ? extend : next[vi]
                    } else {
                        cur[vi] = next[vi] >= 0 ? next[vi] : extend
                    }
                    vi -= 1
                }
            }
            swap(&cur, &next)
        }
        return next
    }

    /// The end of the first match starting at `start` (see `matchEnds`), or nil.
    func matchEnd(in value: [Unicode.Scalar], at start: Int, greedy: Bool) -> Int? {
        let end = matchEnds(in: value, greedy: greedy)[start]
        return end >= 0 ? end : nil
    }
}
