/// A COPY/ADD source given inline as a heredoc (`COPY <<EOF /dest`).
public struct InlineSource: Sendable, Hashable, Encodable {
    public var path: String
    public var data: String
    public var expand: Bool

    public init(path: String, data: String, expand: Bool) {
        self.path = path
        self.data = data
        self.expand = expand
    }
}
