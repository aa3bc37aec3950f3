/// The store's tags: name → descriptor of an index or manifest (`MAB_HOME/tags.json`).
public struct TagTable: Sendable, Hashable, Codable {
    public var tags: [String: Descriptor]

    public init(tags: [String: Descriptor] = [:]) { self.tags = tags }
}
