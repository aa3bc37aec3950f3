/// A registry's answer: status, headers (names lower-cased), and the body when it was
/// collected in memory (small JSON bodies); large bodies go to a sink instead.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: [String]]
    public var body: [UInt8]
    /// The URL after redirects.
    public var effectiveURL: String

    public func header(_ name: String) -> String? { headers[name.lowercased()]?.last }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
