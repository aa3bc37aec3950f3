/// What a stage starts from.
public enum StageBase: Sendable, Hashable, Encodable, CustomStringConvertible {
    case scratch
    case image(String)
    case stage(Int)
    case context(String)

    public var description: String {
        switch self {
        case .scratch: return "scratch"
        case .image(let r): return r
        case .stage(let i): return "stage \(i)"
        case .context(let n): return "context \(n)"
        }
    }

    private enum Keys: String, CodingKey { case kind, value }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .scratch: try c.encode("scratch", forKey: .kind)
        case .image(let r): try c.encode("image", forKey: .kind); try c.encode(r, forKey: .value)
        case .stage(let i): try c.encode("stage", forKey: .kind); try c.encode(i, forKey: .value)
        case .context(let n): try c.encode("context", forKey: .kind); try c.encode(n, forKey: .value)
        }
    }
}
