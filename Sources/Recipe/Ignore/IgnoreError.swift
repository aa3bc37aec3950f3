/// A `.dockerignore` or `--exclude` pattern that cannot be used.
public enum IgnoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case illegalExclusion
    case badPattern(String)

    public var description: String {
        switch self {
        case .illegalExclusion: return "illegal exclusion pattern: \"!\""
        case .badPattern(let p): return "syntax error in pattern \(GoQuote.quote(p))"
        }
    }
}
