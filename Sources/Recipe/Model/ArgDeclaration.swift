/// One name of an ARG instruction, with its default when one is given.
public struct ArgDeclaration: Sendable, Hashable, Encodable {
    public var key: String
    public var defaultValue: String?
    /// The comment line above the ARG that starts with its name (BuildKit's convention).
    public var comment: String?

    public init(key: String, defaultValue: String?, comment: String? = nil) {
        self.key = key
        self.defaultValue = defaultValue
        self.comment = comment
    }
}
