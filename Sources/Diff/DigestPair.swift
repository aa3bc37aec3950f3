/// The same thing's digest in A and in B (nil where that side has none).
public struct DigestPair: Sendable, Hashable, Codable {
    public var a: String?
    public var b: String?
    public var same: Bool { a == b }

    public init(a: String?, b: String?) {
        self.a = a
        self.b = b
    }

    enum CodingKeys: String, CodingKey { case a, b, same }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(a, forKey: .a)
        try c.encode(b, forKey: .b)
        try c.encode(same, forKey: .same)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        a = try c.decodeIfPresent(String.self, forKey: .a)
        b = try c.decodeIfPresent(String.self, forKey: .b)
    }
}
