import Foundation

/// Reads image JSON (index, manifest, config) from a blob source and walks references.
public enum ImageGraph {
    public static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw OCIError.invalidJSON(what: what, detail: describe(error))
        } catch {
            throw OCIError.invalidJSON(what: what, detail: "\(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.isEmpty ? "top level" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c): return "\(c.debugDescription) at \(path(c.codingPath))"
        case .keyNotFound(let k, let c): return "missing field \"\(k.stringValue)\" at \(path(c.codingPath))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(c.debugDescription) at \(path(c.codingPath))"
        @unknown default: return "\(error)"
        }
    }

    /// Every blob reachable from `root` (the root included), reading JSON through `read`.
    public static func reachable(from root: Descriptor, read: (Digest) throws -> [UInt8]) throws -> [Descriptor] {
        var out: [Descriptor] = [root]
        if MediaType.isIndex(root.mediaType) {
            let index = try decode(ImageIndex.self, try read(root.digest), what: "index \(root.digest)")
            for m in index.manifests { out += try reachable(from: m, read: read) }
        } else if MediaType.isManifest(root.mediaType) {
            let manifest = try decode(ImageManifest.self, try read(root.digest), what: "manifest \(root.digest)")
            out.append(manifest.config)
            out += manifest.layers
        }
        return out
    }
}
