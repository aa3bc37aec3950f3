import Foundation
import OCI

/// Where mab has seen blobs on registries (`MAB_HOME/blob-locations.json`): registry →
/// digest → repositories. A push offers these repositories for a cross-repository mount,
/// so content already on the registry is not uploaded again.
public struct BlobLocations: Sendable {
    let path: String
    let lockPath: String
    /// Repositories remembered per blob (the most recent ones).
    static let limit = 4

    public init(store: ContentStore) {
        path = store.root + "/blob-locations.json"
        lockPath = store.root + "/blob-locations.lock"
    }

    typealias Table = [String: [String: [String]]]

    private func load() -> Table {
        guard let bytes = try? FileSystem.readFile(path),
            let table = try? JSONDecoder().decode(Table.self, from: Data(bytes))
        else { return [:] }
        return table
    }

    /// Repositories on `registry` known to hold `digest`.
    public func repositories(for digest: Digest, on registry: String) -> [String] {
        load()[registry]?[digest.description] ?? []
    }

    /// Records that `repository` on `registry` holds these blobs.
    public func record(_ digests: [Digest], repository: String, registry: String) {
        guard let lock = try? StoreLock(path: lockPath, mode: .exclusive) else { return }
        defer { withExtendedLifetime(lock) {} }
        var table = load()
        var forRegistry = table[registry] ?? [:]
        for d in digests {
            var repos = forRegistry[d.description] ?? []
            repos.removeAll { $0 == repository }
            repos.insert(repository, at: 0)
            forRegistry[d.description] = Array(repos.prefix(Self.limit))
        }
        table[registry] = forRegistry
        if let bytes = try? CanonicalJSON.encode(table) { try? FileSystem.writeFileAtomically(path, bytes) }
    }
}
