/// A here-document attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`).
public struct Heredoc: Sendable, Hashable, Codable {
    /// The terminator word, quotes removed.
    public var name: String
    /// The file descriptor before `<<` (0 when none was written).
    public var fileDescriptor: Int
    /// False when any part of the name was quoted: the body is then taken literally.
    public var expand: Bool
    /// `<<-`: leading tabs are stripped from the body and the terminator line.
    public var chomp: Bool
    /// The body, every line with its original line ending.
    public var content: String
    /// First and last line of the body (the terminator line excluded).
    public var startLine: Int
    public var endLine: Int

    public init(name: String, fileDescriptor: Int, expand: Bool, chomp: Bool, content: String = "", startLine: Int = 0, endLine: Int = 0) {
        self.name = name
        self.fileDescriptor = fileDescriptor
        self.expand = expand
        self.chomp = chomp
        self.content = content
        self.startLine = startLine
        self.endLine = endLine
    }

    /// The body with leading tabs removed from every line when `chomp` is set.
    public var effectiveContent: String {
        guard chomp else { return content }
        var out = ""
        var atLineStart = true
        for ch in content.unicodeScalars {
            if atLineStart && ch == "\t" { continue }
            atLineStart = ch == "\n"
            out.unicodeScalars.append(ch)
        }
        return out
    }

    /// Recognises one word as a heredoc opener (`^(\d*)<<(-?)([^<]*)$` in BuildKit), or nil.
    public static func parse(word: String) throws(ExpansionError) -> Heredoc? {
        let scalars = Array(word.unicodeScalars)
        var i = 0
        while i < scalars.count, scalars[i].value >= 0x30, scalars[i].value <= 0x39 { i += 1 }
        let digits = String(String.UnicodeScalarView(scalars[..<i]))
        guard i + 1 < scalars.count, scalars[i] == "<", scalars[i + 1] == "<" else { return nil }
        i += 2
        var chomp = false
        if i < scalars.count, scalars[i] == "-" {
            chomp = true
            i += 1
        }
        let rest = scalars[i...]
        if rest.contains("<") || rest.isEmpty { return nil }
        let restString = String(String.UnicodeScalarView(rest))

        var lexer = ShellLexer(escapeToken: "\\")
        lexer.skipUnsetEnv = true
        let words = try lexer.words(restString, environment: [:])
        guard words.count == 1 else { return nil }
        lexer.rawQuotes = true
        let rawWords = try lexer.words(restString, environment: [:])
        guard rawWords.count == 1 else { return nil }
        func quoteCount(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1 == "'" || $1 == "\"" ? 1 : 0) } }
        return Heredoc(
            name: words[0], fileDescriptor: Int(digits) ?? 0,
            expand: quoteCount(words[0]) == quoteCount(rawWords[0]), chomp: chomp)
    }

    /// Every heredoc opener on an instruction line, in order.
    static func openers(in line: String) throws(ExpansionError) -> [Heredoc] {
        var lexer = ShellLexer(escapeToken: "\\")
        lexer.rawQuotes = true
        lexer.rawEscapes = true
        lexer.skipUnsetEnv = true
        guard let words = try? lexer.words(line, environment: [:]) else { return [] }
        var docs: [Heredoc] = []
        for word in words {
            if let doc = try parse(word: word) { docs.append(doc) }
        }
        return docs
    }
}
