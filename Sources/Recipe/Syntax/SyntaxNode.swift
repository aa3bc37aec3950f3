/// One instruction as BuildKit's parser splits it, before its meaning is checked:
/// the keyword, the `--flags`, the argument words (JSON or shell form), and heredocs.
public struct SyntaxNode: Sendable, Hashable {
    /// The instruction keyword as written (`run`, `RUN`, `Run` …).
    public var keyword: String {
        didSet { name = Self.lower(keyword) }
    }
    /// The lower-cased keyword (computed once).
    public private(set) var name: String
    public var flags: [String]
    public var arguments: [String]
    /// The trigger of an ONBUILD (zero or one node).
    public var trigger: [SyntaxNode]
    /// The arguments came from a JSON array (exec form).
    public var isJSON: Bool
    public var heredocs: [Heredoc]
    /// The whole logical line, continuations joined, comments removed.
    public var original: String
    public var range: SourceRange
    /// Comment lines directly above the instruction, `#` removed.
    public var comments: [String]

    public init(
        keyword: String, flags: [String] = [], arguments: [String] = [], trigger: [SyntaxNode] = [],
        isJSON: Bool = false, heredocs: [Heredoc] = [], original: String = "",
        range: SourceRange = SourceRange(line: 0), comments: [String] = []
    ) {
        self.keyword = keyword
        self.name = Self.lower(keyword)
        self.flags = flags
        self.arguments = arguments
        self.trigger = trigger
        self.isJSON = isJSON
        self.heredocs = heredocs
        self.original = original
        self.range = range
        self.comments = comments
    }

    /// `lowercased()`, skipped when there is nothing to lower (the common case).
    static func lower(_ keyword: String) -> String {
        keyword.utf8.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }) ? keyword.lowercased() : keyword
    }

    /// BuildKit's parse-tree line for this node, as in its conformance `result` files.
    public func dump() -> String {
        var out = name
        if !flags.isEmpty {
            out += " [" + flags.map(GoQuote.quote).joined(separator: " ") + "]"
        }
        if let trigger = trigger.first {
            out += " (" + trigger.dump() + ")"
        }
        for argument in arguments {
            out += " " + GoQuote.quote(argument)
        }
        return out.trimmingGoSpace()
    }

    /// `dump()` appended as UTF-8 bytes (no intermediate strings).
    public func dump(into out: inout [UInt8]) {
        let start = out.count
        for b in keyword.utf8 { out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b) }
        if !flags.isEmpty {
            out.append(contentsOf: [0x20, 0x5B])
            for (i, flag) in flags.enumerated() {
                if i > 0 { out.append(0x20) }
                GoQuote.append(flag, to: &out)
            }
            out.append(0x5D)
        }
        if let trigger = trigger.first {
            out.append(contentsOf: [0x20, 0x28])
            trigger.dump(into: &out)
            out.append(0x29)
        }
        for argument in arguments {
            out.append(0x20)
            GoQuote.append(argument, to: &out)
        }
        // Go's TrimSpace: only an unusual keyword (empty, or non-ASCII) can leave blanks here.
        if out.count > start, ByteText.isASCIISpace(out[start]) || ByteText.isASCIISpace(out[out.count - 1]) || keyword.utf8.contains(where: { $0 >= 0x80 }) {
            let text = String(decoding: out[start...], as: UTF8.self).trimmingGoSpace()
            out.removeSubrange(start...)
            out.append(contentsOf: text.utf8)
        }
    }

    var canContainHeredoc: Bool {
        var node = self
        if node.name == "onbuild", let inner = node.trigger.first { node = inner }
        switch node.name {
        case "run", "copy", "add": return !node.isJSON
        default: return false
        }
    }
}

extension String {
    func trimmingGoSpace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isGoSpace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isGoSpace })!
        return String(scalars[first...last])
    }
}
