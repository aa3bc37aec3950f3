import Foundation
import OCI

/// The last build record of each (context, recipe, target, platforms), in
/// `MAB_HOME/build-records/<id>.json`; written atomically, a record that does not decode
/// is as good as none.
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

    public func save(_ record: BuildRecord, as id: String) throws {
        try FileSystem.makeDirectories(directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileSystem.writeFileAtomically(directory + "/" + id + ".json", Array(try encoder.encode(record)))
    }
}
