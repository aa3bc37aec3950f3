/// A parser directive at the top of a recipe: `# syntax=…`, `# escape=…`, `# check=…`.
public struct ParserDirective: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public var line: Int

    public init(name: String, value: String, line: Int) {
        self.name = name
        self.value = value
        self.line = line
    }
}
