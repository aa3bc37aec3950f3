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

extension PlatformScheduler {
    /// The assignment when it needs no answer from the nodes: one node builds everything;
    /// or every platform was declared for a node (`--platform` of `mab builder create`,
    /// `PLATFORM=ADDRESS`). Nil when the nodes must be asked. Which platforms are emulated
    /// and the nodes' versions are not known yet (see `completed(_:with:)`).
    public static func assignWithoutAsking(_ platforms: [Platform], to nodes: [BuilderNode]) -> [NodeAssignment]? {
        if nodes.count == 1 { return [NodeAssignment(node: nodes[0], platforms: platforms, emulated: [], version: nil)] }
        let declared = nodes.map { NodeCapabilities(node: $0, reported: []) }
        guard platforms.allSatisfy({ p in declared.contains { $0.buildsNatively(p) } }) else { return nil }
        return try? assign(platforms, to: declared)
    }

    /// `assignments` with what the nodes said filled in: their versions, and which of
    /// their platforms they build under emulation.
    public static func completed(_ assignments: [NodeAssignment], with capabilities: [NodeCapabilities]) -> [NodeAssignment] {
        assignments.map { a in
            guard let c = capabilities.first(where: { $0.node.name == a.node.name }) else { return a }
            var done = a
            done.version = c.version
            done.emulated = a.platforms.filter { !c.buildsNatively($0) }
            return done
        }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
