/// A problem that does not stop a build, named after BuildKit's check rule where one exists.
public struct RecipeWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    public var rule: String
    public var message: String
    public var range: SourceRange

    public init(rule: String, message: String, range: SourceRange) {
        self.rule = rule
        self.message = message
        self.range = range
    }

    public var description: String { "\(message) (\(rule))" }
}
