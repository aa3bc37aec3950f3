/// One instruction as BuildKit's parser splits it, before its meaning is checked:
/// the keyword, the `--flags`, the argument words (JSON or shell form), and heredocs.
public struct SyntaxNode: Sendable, Hashable {
    /// The instruction keyword as written (`run`, `RUN`, `Run` …).
    public var keyword: String
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
        self.flags = flags
        self.arguments = arguments
        self.trigger = trigger
        self.isJSON = isJSON
        self.heredocs = heredocs
        self.original = original
        self.range = range
        self.comments = comments
    }

    /// The lower-cased keyword.
    public var name: String { keyword.lowercased() }

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
