/// Why an image reference is invalid, naming the part that is wrong.
public enum ReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case tooLong(String)
    case invalidDigest(reference: String, digest: String)
    case invalidTag(reference: String, tag: String)
    case invalidRegistry(reference: String, registry: String)
    case missingRepository(String)
    case uppercaseRepository(reference: String, repository: String)
    case invalidRepository(reference: String, component: String)

    public var description: String {
        switch self {
        case .empty: return "invalid reference: it is empty"
        case .tooLong(let r): return "invalid reference \"\(r.prefix(64))…\": longer than 4096 characters"
        case .invalidDigest(let r, let d): return "invalid reference \"\(r)\": digest \"\(d)\" is not sha256:<64 lowercase hex digits>"
        case .invalidTag(let r, let t):
            return "invalid reference \"\(r)\": tag \"\(t)\" must be 1-128 of [A-Za-z0-9_.-] and not start with . or -"
        case .invalidRegistry(let r, let h): return "invalid reference \"\(r)\": registry \"\(h)\" is not a valid host[:port]"
        case .missingRepository(let r): return "invalid reference \"\(r)\": no repository name"
        case .uppercaseRepository(let r, let p): return "invalid reference \"\(r)\": repository \"\(p)\" must be lowercase"
        case .invalidRepository(let r, let c):
            return "invalid reference \"\(r)\": repository component \"\(c)\" must be lowercase letters and digits separated by . _ __ or -"
        }
    }
}
