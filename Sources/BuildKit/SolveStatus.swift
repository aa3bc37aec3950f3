import Foundation

/// One line of `buildctl --progress rawjson`: BuildKit's `client.SolveStatus` as JSON
/// (`client/graph.go`): vertexes, their statuses (transfers), their logs and warnings.
/// Byte fields (`data`, `short`, `detail`) are base64, as Go encodes `[]byte`.
public struct SolveStatus: Sendable, Decodable {
    public struct Vertex: Sendable, Decodable {
        public var digest: String
        public var inputs: [String]?
        public var name: String?
        public var started: String?
        public var completed: String?
        public var cached: Bool?
        public var error: String?
    }

    public struct Status: Sendable, Decodable {
        public var id: String
        public var vertex: String
        public var name: String?
        public var total: Int64?
        public var current: Int64?
        public var completed: String?
    }

    public struct Log: Sendable, Decodable {
        public var vertex: String
        public var stream: Int?
        public var data: Data?
    }

    public struct Warning: Sendable, Decodable {
        public var vertex: String
        public var level: Int?
        public var short: Data?
        public var detail: [Data]?
        public var url: String?
    }

    public var vertexes: [Vertex]?
    public var statuses: [Status]?
    public var logs: [Log]?
    public var warnings: [Warning]?
}
