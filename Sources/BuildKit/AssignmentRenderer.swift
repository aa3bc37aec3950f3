/// Which node builds which platform, for `mab plan --backend buildkit`: text, JSON,
/// Graphviz and Mermaid, to append to the plan's own rendering.
public enum AssignmentRenderer {
    static func platforms(_ a: NodeAssignment) -> String {
        a.platforms.map { "\($0) " + (a.emulated.contains($0) ? "emulated" : "native") }.joined(separator: ", ")
    }

    public static func text(_ assignments: [NodeAssignment]) -> String {
        "\nbuildkit nodes:\n" + assignments.map { "  \($0.node.name) (\($0.node.address)" + ($0.version.map { ", BuildKit \($0)" } ?? "") + "): \(platforms($0))\n" }.joined()
    }

    public struct Entry: Encodable, Sendable {
        public var node: String
        public var address: String
        public var buildkitVersion: String?
        public var platforms: [String]
        public var emulated: [String]
    }

    public static func entries(_ assignments: [NodeAssignment]) -> [Entry] {
        assignments.map { Entry(node: $0.node.name, address: $0.node.address.description, buildkitVersion: $0.version,
                                platforms: $0.platforms.map(\.description), emulated: $0.emulated.map(\.description)) }
    }

    /// A cluster of one box per node, to put before a digraph's closing brace.
    public static func dot(_ assignments: [NodeAssignment]) -> String {
        var out = "  subgraph cluster_buildkit {\n    label=\"buildkit nodes\";\n"
        for a in assignments { out += "    \"node:\(a.node.name)\" [shape=box, label=\"\(a.node.name)\\n\(a.node.address)\\n\(platforms(a))\"];\n" }
        return out + "  }\n"
    }

    public static func mermaid(_ assignments: [NodeAssignment]) -> String {
        var out = "  subgraph buildkit[buildkit nodes]\n"
        for (i, a) in assignments.enumerated() { out += "    bk\(i)[\"\(a.node.name)<br/>\(a.node.address)<br/>\(platforms(a))\"]\n" }
        return out + "  end\n"
    }
}
