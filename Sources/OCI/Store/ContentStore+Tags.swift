import Foundation

extension ContentStore {
    var tagsPath: String { "\(root)/tags.json" }

    public func tagTable() throws -> TagTable {
        guard FileSystem.exists(tagsPath) else { return TagTable() }
        let bytes = try FileSystem.readFile(tagsPath)
        do {
            return try JSONDecoder().decode(TagTable.self, from: Data(bytes))
        } catch {
            throw OCIError.invalidJSON(what: tagsPath, detail: "\(error)")
        }
    }

    /// Points `name` at `descriptor` (atomically; the referenced blobs must be present).
    public func setTag(_ name: String, to descriptor: Descriptor) throws {
        guard contains(descriptor.digest) else { throw OCIError.blobNotFound(descriptor.digest, where: description) }
        let exclusive = try StoreLock(path: "\(root)/tags.lock", mode: .exclusive)
        defer { withExtendedLifetime(exclusive) {} }
        var table = try tagTable()
        table.tags[name] = descriptor
        try FileSystem.writeFileAtomically(tagsPath, try CanonicalJSON.encode(table))
    }

    public func resolveTag(_ name: String) throws -> Descriptor {
        guard let d = try tagTable().tags[name] else { throw OCIError.tagNotFound(name, where: description) }
        return d
    }

    public func removeTag(_ name: String) throws {
        let exclusive = try StoreLock(path: "\(root)/tags.lock", mode: .exclusive)
        defer { withExtendedLifetime(exclusive) {} }
        var table = try tagTable()
        guard table.tags.removeValue(forKey: name) != nil else { throw OCIError.tagNotFound(name, where: description) }
        try FileSystem.writeFileAtomically(tagsPath, try CanonicalJSON.encode(table))
    }
}
