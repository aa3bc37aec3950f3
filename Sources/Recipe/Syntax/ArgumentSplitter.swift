/// The per-instruction argument splitters of BuildKit's parser (its `line_parsers.go`),
/// over the bytes of one logical line.
enum ArgumentSplitter {
    struct Split {
        var arguments: [String] = []
        var trigger: [SyntaxNode] = []
        var isJSON = false
    }

    /// Leading `--flag` words (BuildKit's `extractBuilderFlags`): returns the flags and
    /// where the rest of the line starts. A lone `--` ends the flags.
    static func builderFlags(_ s: [UInt8], _ r: Range<Int>) -> ([String], Int) {
        var flags: [String] = []
        var pos = r.lowerBound
        let end = r.upperBound
        while true {
            while pos < end, ByteText.isASCIISpace(s[pos]) { pos += 1 }
            guard pos + 1 < end, s[pos] == UInt8(ascii: "-"), s[pos + 1] == UInt8(ascii: "-") else {
                return (flags, pos)
            }
            var word: [UInt8] = []
            var blankOK = false
            var quote: UInt8 = 0
            var inQuote = false
            while pos < end {
                let ch = s[pos]
                if inQuote {
                    if ch == quote {
                        inQuote = false
                        pos += 1
                        continue
                    }
                    if ch == UInt8(ascii: "\\") {
                        if pos + 1 == end {
                            inQuote = false
                            pos += 1
                            continue
                        }
                        pos += 1
                    }
                    word.append(s[pos])
                    pos += 1
                    continue
                }
                if ByteText.isASCIISpace(ch) { break }
                if ch == UInt8(ascii: "'") || ch == UInt8(ascii: "\"") {
                    quote = ch
                    blankOK = true
                    inQuote = true
                    pos += 1
                    continue
                }
                if ch == UInt8(ascii: "\\") {
                    if pos + 1 == end {
                        pos += 1
                        continue
                    }
                    pos += 1
                }
                word.append(s[pos])
                pos += 1
            }
            if word == [UInt8(ascii: "-"), UInt8(ascii: "-")] {
                // `--` ends the flags; what follows (from this space) is the rest.
                return (flags, pos)
            }
            if blankOK || !word.isEmpty {
                flags.append(String(decoding: word, as: UTF8.self))
            }
            if pos >= end { return (flags, end) }
        }
    }

    static func dispatch(_ name: String, _ s: [UInt8], _ r: Range<Int>, escape: UInt8) throws(RecipeProblem) -> Split {
        switch name {
        case "add", "copy", "volume": return try maybeJSONToList(s, r)
        case "cmd", "entrypoint", "run", "shell": return try maybeJSON(s, r)
        case "arg": return Split(arguments: words(s, r, escape: escape))
        case "env": return try nameValue(s, r, keyword: "ENV", escape: escape)
        case "label": return try nameValue(s, r, keyword: "LABEL", escape: escape)
        case "expose", "from": return Split(arguments: whitespaceDelimited(s, r))
        case "healthcheck": return try healthConfig(s, r)
        case "maintainer", "stopsignal", "user", "workdir":
            return r.isEmpty ? Split() : Split(arguments: [ByteText.string(s, r)])
        default:
            // Unknown instructions parse to one empty argument (rejected later).
            return Split(arguments: [""])
        }
    }

    static func whitespaceDelimited(_ s: [UInt8], _ r: Range<Int>) -> [String] {
        var out: [String] = []
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound, ByteText.isSeparator(s[i]) { i += 1 }
            let start = i
            while i < r.upperBound, !ByteText.isSeparator(s[i]) { i += 1 }
            if i > start { out.append(ByteText.string(s, start..<i)) }
        }
        return out
    }

    static func maybeJSON(_ s: [UInt8], _ r: Range<Int>) throws(RecipeProblem) -> Split {
        if r.isEmpty { return Split() }
        switch GoJSONArray.parse(s, r) {
        case .strings(let items): return Split(arguments: items, isJSON: true)
        case .notStringArray: throw .notStringArray
        case .notJSON: return Split(arguments: [ByteText.string(s, r)])
        }
    }

    static func maybeJSONToList(_ s: [UInt8], _ r: Range<Int>) throws(RecipeProblem) -> Split {
        switch GoJSONArray.parse(s, r) {
        case .strings(let items): return Split(arguments: items, isJSON: true)
        case .notStringArray: throw .notStringArray
        case .notJSON: return Split(arguments: whitespaceDelimited(s, r))
        }
    }

    static func healthConfig(_ s: [UInt8], _ r: Range<Int>) throws(RecipeProblem) -> Split {
        var sep = r.lowerBound
        while sep < r.upperBound, !ByteText.isASCIISpace(s[sep]) { sep += 1 }
        if sep == r.lowerBound { return Split() }
        var next = sep
        while next < r.upperBound, ByteText.isASCIISpace(s[next]) { next += 1 }
        var split = try maybeJSON(s, next..<r.upperBound)
        split.arguments.insert(ByteText.string(s, r.lowerBound..<sep), at: 0)
        return split
    }

    /// ENV and LABEL: the old `KEY value` form or `k=v …` pairs; each pair prints as
    /// key, value and separator (`""` or `"="`).
    static func nameValue(_ s: [UInt8], _ r: Range<Int>, keyword: String, escape: UInt8) throws(RecipeProblem) -> Split {
        let ws = words(s, r, escape: escape)
        guard let first = ws.first else { return Split() }
        if !first.utf8.contains(UInt8(ascii: "=")) {
            var i = r.lowerBound
            while i < r.upperBound, !ByteText.isSeparator(s[i]) { i += 1 }
            let key = ByteText.string(s, r.lowerBound..<i)
            while i < r.upperBound, ByteText.isSeparator(s[i]) { i += 1 }
            guard i < r.upperBound || (i > r.lowerBound && ByteText.isSeparator(s[i - 1])) else {
                throw .envNeedsTwoArguments(keyword)
            }
            return Split(arguments: [key, ByteText.string(s, i..<r.upperBound), ""])
        }
        var args: [String] = []
        args.reserveCapacity(ws.count * 3)
        for word in ws {
            let utf8 = word.utf8
            guard let eq = utf8.firstIndex(of: UInt8(ascii: "=")) else { throw .missingEquals(word: word) }
            args.append(String(Substring(utf8[..<eq])))
            args.append(String(Substring(utf8[utf8.index(after: eq)...])))
            args.append("=")
        }
        return Split(arguments: args)
    }

    /// Space-separated words, quotes and escapes kept as written (BuildKit's `parseWords`),
    /// over bytes: the quotes and the escape token are ASCII, blanks may be any Unicode space.
    static func words(_ rest: String, escape: UInt8) -> [String] {
        let s = Array(rest.utf8)
        return words(s, 0..<s.count, escape: escape)
    }

    static func words(_ s: [UInt8], _ r: Range<Int>, escape: UInt8) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var quote: UInt8 = 0
        var inQuote = false
        var blankOK = false
        let end = r.upperBound
        var pos = r.lowerBound
        /// Width of the UTF-8 sequence starting at i.
        func width(_ i: Int) -> Int {
            let b = s[i]
            let w = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            return min(w, end - i)
        }
        while pos < end {
            let ch = s[pos]
            let space = ByteText.spaceWidth(s, at: pos, end: end)
            if !inWord && !inQuote {
                if space > 0 {
                    pos += space
                    continue
                }
                inWord = true
            }
            if inQuote {
                if ch == quote { inQuote = false }
                let w = width(pos)
                if ch == escape && quote != UInt8(ascii: "'") {
                    if pos + w == end {
                        inQuote = false
                        pos += w
                        continue
                    }
                    word.append(ch)
                    pos += w
                    let w2 = width(pos)
                    word.append(contentsOf: s[pos..<(pos + w2)])
                    pos += w2
                    continue
                }
                word.append(contentsOf: s[pos..<(pos + w)])
                pos += w
                continue
            }
            if space > 0 {
                inWord = false
                if blankOK || !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
                blankOK = false
                pos += space
                continue
            }
            if ch == UInt8(ascii: "'") || ch == UInt8(ascii: "\"") {
                quote = ch
                blankOK = true
                inQuote = true
            }
            let w = width(pos)
            if ch == escape {
                if pos + w == end {
                    pos += w
                    continue
                }
                word.append(ch)
                pos += w
                let w2 = width(pos)
                word.append(contentsOf: s[pos..<(pos + w2)])
                pos += w2
                continue
            }
            word.append(contentsOf: s[pos..<(pos + w)])
            pos += w
        }
        if (inWord || inQuote) && (blankOK || !word.isEmpty) {
            words.append(String(decoding: word, as: UTF8.self))
        }
        return words
    }
}
