/// A path that is only in A, only in B, or in both but different, with what differs and
/// the likely cause.
public struct FileChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable { case added, removed, changed }

    public var path: String
    public var kind: Kind
    /// For `changed`: every field that differs (content, size, mode, owner, mtime, …).
    public var differences: [FieldDifference]
    /// The likely cause and its fix, in plain words, when one is recognised.
    public var cause: String?

    public init(path: String, kind: Kind, differences: [FieldDifference] = [], cause: String? = nil) {
        self.path = path
        self.kind = kind
        self.differences = differences
        self.cause = cause
    }
}
