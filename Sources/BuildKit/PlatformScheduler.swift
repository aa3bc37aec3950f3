import OCI

/// Which node builds which platform: a node that builds it natively when the builder has
/// one (the first such, in the builder's order), else the first that can emulate it.
/// Platforms that land on the same node are built by one call; nodes run at once.
public enum PlatformScheduler {
    public static func assign(_ platforms: [Platform], to nodes: [NodeCapabilities]) throws(BuilderError) -> [NodeAssignment] {
        var byNode: [String: NodeAssignment] = [:]
        for p in platforms {
            guard let chosen = nodes.first(where: { $0.buildsNatively(p) }) ?? nodes.first(where: { $0.builds(p) }) else {
                throw .cannotBuild(platform: p.description, nodes: nodes.map { "\($0.node.name) (\(($0.native + $0.reported).map(\.description).uniqued().joined(separator: ", ")))" })
            }
            var a = byNode[chosen.node.name] ?? NodeAssignment(node: chosen.node, platforms: [], emulated: [], version: chosen.version)
            a.platforms.append(p)
            if !chosen.buildsNatively(p) { a.emulated.append(p) }
            byNode[chosen.node.name] = a
        }
        return nodes.compactMap { byNode[$0.node.name] }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
