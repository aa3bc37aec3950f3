import Recipe

/// A recipe that cannot be planned, or a request that cannot be met; with the recipe
/// location when there is one.
public struct PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var range: SourceRange?
    public var message: String

    public init(file: String? = nil, range: SourceRange? = nil, _ message: String) {
        self.file = file
        self.range = range
        self.message = message
    }

    public var description: String {
        if let file, let range { return "\(file):\(range.start.line):\(range.start.column): error: \(message)" }
        return message
    }
}
