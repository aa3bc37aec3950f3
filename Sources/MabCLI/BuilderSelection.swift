import BuildKit
import OCI

/// The buildkitd nodes a build uses: `--builder` values (a stored builder's name, an
/// address, or `PLATFORM=ADDRESS` for a node declared for that platform), else
/// `BUILDKIT_HOST`, else the builder `mab builder use` chose; none: no builder.
struct BuilderSelection {
    static func nodes(_ values: [String], environment: [String: String], store: BuilderStore) throws -> [BuilderNode]? {
        if values.isEmpty {
            if let host = environment["BUILDKIT_HOST"], !host.isEmpty {
                return [BuilderNode(name: "BUILDKIT_HOST", address: try BuilderAddress(parsing: host))]
            }
            return try store.current().map { try store.load($0).nodes }
        }
        var nodes: [BuilderNode] = []
        for (i, value) in values.enumerated() {
            if value.contains("://") {
                var platforms: [Platform] = []
                var address = value
                if let eq = value.firstIndex(of: "="), !value[..<eq].contains("://") {
                    platforms = try value[..<eq].split(separator: ",").map { try Platform(parsing: String($0)) }
                    address = String(value[value.index(after: eq)...])
                }
                nodes.append(BuilderNode(name: "node\(i)", address: try BuilderAddress(parsing: address), platforms: platforms))
            } else {
                nodes += try store.load(value).nodes
            }
        }
        return nodes
    }
}
