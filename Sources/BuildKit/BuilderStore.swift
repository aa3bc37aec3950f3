import Foundation
import OCI

/// The builders `mab builder create` made: one JSON file per builder (mode 0600, written
/// atomically) in `$XDG_CONFIG_HOME/mab/builders` (`~/.config/mab/builders`), and
/// `current`, the name `mab builder use` chose.
public struct BuilderStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The store for this environment.
    public init(environment: [String: String]) {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((environment["HOME"] ?? "/root") + "/.config")
        self.init(directory: base + "/mab/builders")
    }

    private func file(_ name: String) -> String { directory + "/" + name + ".json" }

    public func names() -> [String] {
        ((try? FileSystem.list(directory)) ?? []).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    public func load(_ name: String) throws(BuilderError) -> Builder {
        try Builder.validate(name: name)
        let path = file(name)
        guard FileSystem.exists(path) else { throw .noSuchBuilder(name, known: names()) }
        do {
            return try JSONDecoder().decode(Builder.self, from: Data(try FileSystem.readFile(path)))
        } catch {
            throw .config(path: path, detail: "not a builder file (\(error)); remove it with mab builder rm \(name)")
        }
    }

    public func all() throws(BuilderError) -> [Builder] {
        var out: [Builder] = []
        for name in names() { out.append(try load(name)) }
        return out
    }

    public func save(_ builder: Builder) throws(BuilderError) {
        try Builder.validate(name: builder.name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileSystem.makeDirectories(directory, mode: 0o700)
            try FileSystem.writeFileAtomically(file(builder.name), Array(try encoder.encode(builder)) + [0x0A], mode: 0o600)
        } catch {
            throw .config(path: file(builder.name), detail: "cannot write: \(error)")
        }
    }

    public func remove(_ name: String) throws(BuilderError) {
        try Builder.validate(name: name)
        guard FileSystem.exists(file(name)) else { throw .noSuchBuilder(name, known: names()) }
        do {
            try FileSystem.removeTree(file(name))
            if current() == name { try FileSystem.removeTree(directory + "/current") }
        } catch {
            throw .config(path: file(name), detail: "cannot remove: \(error)")
        }
    }

    /// The builder `mab builder use` chose, if it still exists.
    public func current() -> String? {
        guard let bytes = try? FileSystem.readFile(directory + "/current") else { return nil }
        let name = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return FileSystem.exists(file(name)) ? name : nil
    }

    public func use(_ name: String) throws(BuilderError) {
        _ = try load(name)
        do {
            try FileSystem.writeFileAtomically(directory + "/current", Array((name + "\n").utf8), mode: 0o600)
        } catch {
            throw .config(path: directory + "/current", detail: "cannot write: \(error)")
        }
    }
}
