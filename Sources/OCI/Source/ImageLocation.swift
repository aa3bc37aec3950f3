/// Where an image is: `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`, `docker-archive:FILE`, or
/// a tag in mab's store.
public enum ImageLocation: Sendable, Hashable, CustomStringConvertible {
    case layout(directory: String, tag: String?)
    case ociArchive(path: String, tag: String?)
    case dockerArchive(path: String)
    case store(tag: String)

    public init(parsing text: String) throws {
        // As skopeo does: the path ends at the first ':' (paths cannot contain one).
        func splitTag(_ rest: Substring) -> (String, String?) {
            if let colon = rest.firstIndex(of: ":") {
                return (String(rest[..<colon]), String(rest[rest.index(after: colon)...]))
            }
            return (String(rest), nil)
        }
        if text.hasPrefix("oci:") {
            let (dir, tag) = splitTag(text.dropFirst(4))
            guard !dir.isEmpty else { throw OCIError.invalidReference(text, reason: "oci: needs a directory") }
            self = .layout(directory: dir, tag: tag?.isEmpty == true ? nil : tag)
        } else if text.hasPrefix("oci-archive:") {
            let (file, tag) = splitTag(text.dropFirst(12))
            guard !file.isEmpty else { throw OCIError.invalidReference(text, reason: "oci-archive: needs a file") }
            self = .ociArchive(path: file, tag: tag?.isEmpty == true ? nil : tag)
        } else if text.hasPrefix("docker-archive:") {
            let file = String(text.dropFirst(15))
            guard !file.isEmpty else { throw OCIError.invalidReference(text, reason: "docker-archive: needs a file") }
            self = .dockerArchive(path: file)
        } else {
            guard !text.isEmpty else { throw OCIError.invalidReference(text, reason: "empty reference") }
            self = .store(tag: text)
        }
    }

    public var description: String {
        switch self {
        case .layout(let d, let t): return "oci:\(d)" + (t.map { ":\($0)" } ?? "")
        case .ociArchive(let p, let t): return "oci-archive:\(p)" + (t.map { ":\($0)" } ?? "")
        case .dockerArchive(let p): return "docker-archive:\(p)"
        case .store(let t): return t
        }
    }
}
