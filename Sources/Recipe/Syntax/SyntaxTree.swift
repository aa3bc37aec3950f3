/// The result of splitting a recipe into instructions (BuildKit's parser stage).
public struct SyntaxTree: Sendable, Hashable {
    public var nodes: [SyntaxNode]
    public var directives: [ParserDirective]
    public var escapeToken: Unicode.Scalar
    public var warnings: [RecipeWarning]

    /// The parse tree in BuildKit's dump format, one instruction a line, with a final newline.
    public func dump() -> String {
        var out = ""
        for node in nodes {
            out += "(" + node.dump() + ")\n"
        }
        return out
    }
}
