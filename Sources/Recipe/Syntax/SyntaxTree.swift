/// The result of splitting a recipe into instructions (BuildKit's parser stage).
public struct SyntaxTree: Sendable, Hashable {
    public var nodes: [SyntaxNode]
    public var directives: [ParserDirective]
    public var escapeToken: Unicode.Scalar
    public var warnings: [RecipeWarning]

    /// The parse tree in BuildKit's dump format, one instruction a line, with a final newline.
    public func dump() -> String {
        String(decoding: dumpBytes(), as: UTF8.self)
    }

    /// The dump as UTF-8 bytes, built in one buffer.
    public func dumpBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(nodes.count * 64)
        for node in nodes {
            out.append(0x28)
            node.dump(into: &out)
            out.append(contentsOf: [0x29, 0x0A])
        }
        return out
    }
}
