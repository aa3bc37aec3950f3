/// Why a word could not be expanded. Messages follow BuildKit's, so users can search them.
public enum ExpansionError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingClosingBrace
    case badSubstitution
    case missingSlash
    case unterminatedQuote(single: Bool)
    case unexpectedEnd(lookingFor: Unicode.Scalar)
    case unsupportedModifier(String)
    case variableRequired(name: String, message: String)
    case invalidPattern(pattern: String, detail: String)
    /// The failure above, inside the word being processed.
    indirect case inWord(String, ExpansionError)

    public var description: String {
        switch self {
        case .missingClosingBrace: return "syntax error: missing '}'"
        case .badSubstitution: return "syntax error: bad substitution"
        case .missingSlash: return "syntax error: missing '/' in ${}"
        case .unterminatedQuote(let single):
            return "unexpected end of statement while looking for matching \(single ? "single-quote" : "double-quote")"
        case .unexpectedEnd(let ch):
            return "unexpected end of statement while looking for matching \(ch)"
        case .unsupportedModifier(let m): return "unsupported modifier (\(m)) in substitution"
        case .variableRequired(let name, let message): return "\(name): \(message)"
        case .invalidPattern(let pattern, let detail):
            return "invalid pattern (\(pattern)) in substitution: \(detail)"
        case .inWord(let word, let inner): return "failed to process \(GoQuote.quote(word)): \(inner)"
        }
    }
}
