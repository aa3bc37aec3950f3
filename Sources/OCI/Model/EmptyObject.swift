/// `{}` — the value type of ExposedPorts and Volumes maps.
public struct EmptyObject: Sendable, Hashable, Codable {
    public init() {}
}
