/// A user name and secret for one registry. Never printed.
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    public var username: String
    public var secret: String
    /// An identity token (from `docker login` with OAuth) used as a refresh token.
    public var identityToken: String?

    public init(username: String, secret: String, identityToken: String? = nil) {
        self.username = username
        self.secret = secret
        self.identityToken = identityToken
    }

    public var description: String { "credentials for \(username) (hidden)" }
}
