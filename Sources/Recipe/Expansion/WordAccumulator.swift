/// Splits expanded text into words the way BuildKit's lexer does: unquoted blanks split,
/// quoted and escaped characters never do, and empty words are dropped.
struct WordAccumulator {
    private(set) var words: [String] = []
    private var word = String.UnicodeScalarView()
    private var inWord = false

    mutating func addChar(_ ch: Unicode.Scalar) {
        if ch.isGoSpace {
            if inWord && !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
                inWord = false
            }
        } else {
            addRawChar(ch)
        }
    }

    mutating func addRawChar(_ ch: Unicode.Scalar) {
        word.append(ch)
        inWord = true
    }

    mutating func addString(_ s: String.UnicodeScalarView) {
        for ch in s { addChar(ch) }
    }

    mutating func addRawString(_ s: String.UnicodeScalarView) {
        word.append(contentsOf: s)
        inWord = true
    }

    mutating func finish() -> [String] {
        if !word.isEmpty {
            words.append(String(word))
            word = String.UnicodeScalarView()
            inWord = false
        }
        return words
    }
}
