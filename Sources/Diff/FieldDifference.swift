/// One field that differs between A and B, both shown as text.
public struct FieldDifference: Sendable, Hashable, Codable {
    public var field: String
    public var a: String
    public var b: String

    public init(field: String, a: String, b: String) {
        self.field = field
        self.a = a
        self.b = b
    }
}
