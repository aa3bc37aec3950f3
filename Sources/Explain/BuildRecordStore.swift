import Foundation
import OCI

/// The last build record of each (context, recipe, target, platforms), in
/// `MAB_HOME/build-records/<id>.json`, and the context entries behind each hashed input a
/// record names, once per digest, in `entries/<hex>.json` (read only to explain an input
/// whose digest changed). Written atomically; a file that does not decode is as good as
/// none; entries no record names any more are removed when a record is saved.
public struct BuildRecordStore: Sendable {
    public let directory: String

    public init(store: ContentStore) { directory = store.root + "/build-records" }

    /// The record's name: the absolute context and recipe paths, the target and the
    /// platforms, hashed.
    public static func id(context: String, recipe: String?, target: String?, platforms: [String]) -> String {
        func absolute(_ p: String) -> String {
            guard let r = realpath(p, nil) else { return p }
            defer { free(r) }
            return String(cString: r)
        }
        let text = [absolute(context), recipe.map(absolute) ?? "-", target ?? "", platforms.joined(separator: ",")].joined(separator: "\n")
        return Digest.of(Array(text.utf8)).hex
    }

    public func load(_ id: String) -> BuildRecord? {
        guard let bytes = try? FileSystem.readFile(directory + "/" + id + ".json") else { return nil }
        return try? JSONDecoder().decode(BuildRecord.self, from: Data(bytes))
    }

    /// Saves `record` as `id`, with the entries of every hashed input it names that are not
    /// kept yet (`entries` gives them, from the plan's hashers).
    public func save(_ record: BuildRecord, as id: String, entries: ((String) -> [String: String]?)?) throws {
        try FileSystem.makeDirectories(directory + "/entries")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for step in record.steps {
            for input in step.parts["inputs"] ?? [] {
                guard let hex = Self.hashedDigest(input), !FileSystem.exists(entriesPath(hex)), let e = entries?(input) else { continue }
                try FileSystem.writeFileAtomically(entriesPath(hex), Array(try encoder.encode(e)))
            }
        }
        try FileSystem.writeFileAtomically(directory + "/" + id + ".json", Array(try encoder.encode(record)))
        try collect()
    }

    /// The entries behind a hashed input, as a build that read it kept them.
    public func entries(_ input: String) -> [String: String]? {
        guard let hex = Self.hashedDigest(input), let bytes = try? FileSystem.readFile(entriesPath(hex)) else { return nil }
        return try? JSONDecoder().decode([String: String].self, from: Data(bytes))
    }

    func entriesPath(_ hex: String) -> String { directory + "/entries/" + hex + ".json" }

    /// The hex digest of a hashed context input (`context:PATH@sha256:…`, `mount:…`,
    /// `context[NAME]:…`, `mount[NAME]:…`), nil for any other input.
    static func hashedDigest(_ input: String) -> String? {
        guard let colon = input.firstIndex(of: ":"), let at = input.range(of: "@sha256:", options: .backwards) else { return nil }
        let kind = input[..<colon]
        guard kind == "context" || kind == "mount" || kind.hasPrefix("context[") || kind.hasPrefix("mount[") else { return nil }
        let hex = String(input[at.upperBound...])
        return hex.count == 64 && hex.allSatisfy(\.isHexDigit) ? hex : nil
    }

    /// Removes the entries no record names.
    func collect() throws {
        var named = Set<String>()
        for file in try FileSystem.list(directory) where file.hasSuffix(".json") {
            guard let bytes = try? FileSystem.readFile(directory + "/" + file), let r = try? JSONDecoder().decode(BuildRecord.self, from: Data(bytes)) else { continue }
            for step in r.steps { for input in step.parts["inputs"] ?? [] { if let hex = Self.hashedDigest(input) { named.insert(hex) } } }
        }
        for file in try FileSystem.list(directory + "/entries") where !named.contains(String(file.dropLast(5))) {
            try? FileSystem.removeTree(directory + "/entries/" + file)
        }
    }
}
