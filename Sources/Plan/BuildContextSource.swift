/// A named build context (`--build-context NAME=SRC`), as buildx takes them.
public enum BuildContextSource: Sendable, Hashable, CustomStringConvertible {
    case directory(String)
    case ociLayout(directory: String, tag: String?)
    case dockerImage(String)

    public init(parsing text: String) throws(PlanError) {
        if text.hasPrefix("oci-layout://") {
            let rest = text.dropFirst("oci-layout://".count)
            if let colon = rest.firstIndex(of: ":") {
                self = .ociLayout(directory: String(rest[..<colon]), tag: String(rest[rest.index(after: colon)...]))
            } else {
                self = .ociLayout(directory: String(rest), tag: nil)
            }
        } else if text.hasPrefix("docker-image://") {
            let ref = String(text.dropFirst("docker-image://".count))
            guard !ref.isEmpty else { throw PlanError("--build-context \(text): docker-image:// needs an image reference") }
            self = .dockerImage(ref)
        } else if text.contains("://") {
            throw PlanError("--build-context \(text): unsupported source (use a directory, oci-layout://DIR[:TAG] or docker-image://REF)")
        } else {
            guard !text.isEmpty else { throw PlanError("--build-context: empty source") }
            self = .directory(text)
        }
    }

    public var description: String {
        switch self {
        case .directory(let d): return d
        case .ociLayout(let d, let t): return "oci-layout://\(d)" + (t.map { ":\($0)" } ?? "")
        case .dockerImage(let r): return "docker-image://\(r)"
        }
    }
}
