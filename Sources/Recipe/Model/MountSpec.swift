/// One `RUN --mount=…` (BuildKit's mount syntax: bind, cache, tmpfs, secret, ssh).
public struct MountSpec: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Encodable, CaseIterable {
        case bind, cache, tmpfs, secret, ssh
    }

    public enum Sharing: String, Sendable, Hashable, Encodable, CaseIterable {
        case shared, `private`, locked
    }

    public var type: Kind = .bind
    public var from: String?
    public var source: String?
    public var target: String?
    public var readOnly = true
    public var id: String?
    public var sharing: Sharing?
    public var required = false
    public var mode: UInt32?
    public var uid: UInt32?
    public var gid: UInt32?
    /// tmpfs size limit in bytes.
    public var size: Int64?
    /// secret: the environment variable to expose the secret in.
    public var env: String?

    public init() {}
}
