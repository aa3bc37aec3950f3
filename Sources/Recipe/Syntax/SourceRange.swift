/// The span of an instruction or token in a recipe file (both ends inclusive lines).
public struct SourceRange: Sendable, Hashable, Codable {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    public init(line: Int, column: Int = 1) {
        self.start = SourcePosition(line: line, column: column)
        self.end = self.start
    }
}
