/// A named set of buildkitd nodes, as `docker buildx create` makes one: builds go to the
/// node that builds a platform natively, else to one that can emulate it.
public struct Builder: Sendable, Hashable, Codable {
    public var name: String
    public var nodes: [BuilderNode]

    public init(name: String, nodes: [BuilderNode]) {
        self.name = name
        self.nodes = nodes
    }

    /// A name as buildx allows: letters, digits, `-`, `_`, `.`, starting with a letter or digit.
    public static func validate(name: String) throws(BuilderError) {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }),
              name.count <= 64 else { throw .invalidName(name) }
    }
}
