import Foundation
import OCI

/// The nodes' last answers (`buildctl debug workers`), kept for a few minutes so that a
/// rebuild does not ask again: on a small machine the question costs as much as a fully
/// cached build's own work (a Go start-up and, over TCP, a TLS handshake on both sides).
/// One file per node connection (address and TLS files), written atomically; a missing,
/// old or unreadable file is no answer. The build asks the nodes afresh when it fails, so a
/// node that changed is diagnosed from what it says now.
public struct NodeAnswerCache: Sendable {
    public let directory: String
    public let maxAge: TimeInterval

    /// Five minutes: long enough for edit-and-rebuild, short enough that an upgraded
    /// buildkitd is soon reported with its new version.
    public static let defaultMaxAge: TimeInterval = 300

    public init(directory: String, maxAge: TimeInterval = defaultMaxAge) {
        self.directory = directory
        self.maxAge = maxAge
    }

    private struct Record: Codable {
        var connection: [String]
        var reported: [Platform]
        var version: String?
    }

    /// The file for a node's connection.
    func path(for node: BuilderNode) -> String {
        directory + "/" + Digest.of(Array(node.connectionArguments.joined(separator: "\u{0}").utf8)).hex.prefix(32) + ".json"
    }

    /// The node's answer if one younger than `maxAge` is kept.
    public func answer(for node: BuilderNode, now: Date = Date()) -> NodeCapabilities? {
        let file = path(for: node)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let modified = attributes[.modificationDate] as? Date,
              now.timeIntervalSince(modified) < maxAge, now >= modified,
              let bytes = try? FileSystem.readFile(file),
              let record = try? JSONDecoder().decode(Record.self, from: Data(bytes)),
              record.connection == node.connectionArguments else { return nil }
        return NodeCapabilities(node: node, reported: record.reported, version: record.version)
    }

    /// Every node's kept answer, or nil when any is missing.
    public func answers(for nodes: [BuilderNode]) -> [NodeCapabilities]? {
        var out: [NodeCapabilities] = []
        for node in nodes {
            guard let a = answer(for: node) else { return nil }
            out.append(a)
        }
        return out
    }

    /// Keeps fresh answers (a failure to write is ignored: it is only a cache).
    public func record(_ answers: [NodeCapabilities]) {
        guard (try? FileSystem.makeDirectories(directory, mode: 0o700)) != nil else { return }
        for a in answers {
            let record = Record(connection: a.node.connectionArguments, reported: a.reported, version: a.version)
            guard let bytes = try? JSONEncoder().encode(record) else { continue }
            try? FileSystem.writeFileAtomically(path(for: a.node), Array(bytes), mode: 0o600)
        }
    }
}
