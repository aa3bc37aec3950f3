/// Character classes as Go's `unicode` package defines them; BuildKit's lexer relies on them.
extension Unicode.Scalar {
    /// `unicode.IsSpace`.
    var isGoSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0..<0x80: return false
        default: return properties.isWhitespace
        }
    }

    /// `unicode.IsLetter`.
    var isGoLetter: Bool {
        if value < 0x80 {
            return (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return false
        }
    }

    /// `unicode.IsDigit`.
    var isGoDigit: Bool {
        if value < 0x80 { return value >= 0x30 && value <= 0x39 }
        return properties.generalCategory == .decimalNumber
    }
}
