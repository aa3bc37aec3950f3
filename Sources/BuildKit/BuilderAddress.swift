/// Where a buildkitd listens, as buildctl's `--addr` takes it: `unix:///PATH` or
/// `tcp://HOST:PORT`.
public struct BuilderAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Codable { case unix, tcp }

    public let scheme: Scheme
    /// The socket path (unix) or `HOST:PORT` (tcp).
    public let location: String

    public var description: String { scheme == .unix ? "unix://" + location : "tcp://" + location }

    public init(parsing text: String) throws(BuilderError) {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/"), path.count > 1 else { throw .invalidAddress(text, reason: "a unix socket needs an absolute path") }
            scheme = .unix
            location = path
        } else if text.hasPrefix("tcp://") {
            let rest = String(text.dropFirst("tcp://".count))
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
                throw .invalidAddress(text, reason: "a tcp address needs HOST:PORT")
            }
            let host = rest[..<colon]
            guard !host.isEmpty, !host.contains("/") else { throw .invalidAddress(text, reason: "a tcp address needs HOST:PORT") }
            scheme = .tcp
            location = rest
        } else {
            throw .invalidAddress(text, reason: "unknown scheme")
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try BuilderAddress(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
