/// Everything that can go wrong reading or writing images, named so users can act on it.
public enum OCIError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidDigest(String)
    case invalidPlatform(String)
    case digestMismatch(expected: Digest, actual: Digest, what: String)
    case sizeMismatch(expected: Int64, actual: Int64, what: String)
    case blobNotFound(Digest, where: String)
    case invalidJSON(what: String, detail: String)
    case unknownMediaType(String, what: String)
    case io(path: String, operation: String, errno: Int32)
    case archive(path: String, detail: String)
    case corruptLayer(what: String, detail: String)
    case unsafeEntry(entry: String, reason: String)
    case storeLocked(String)
    case tagNotFound(String, where: String)
    case platformNotFound(String, available: [String])
    case invalidReference(String, reason: String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidDigest(let text): return "invalid digest \"\(text)\": expected sha256:<64 lowercase hex digits>"
        case .invalidPlatform(let text):
            return "invalid platform \"\(text)\": expected OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64"
        case .digestMismatch(let expected, let actual, let what):
            return "\(what): content digest is \(actual), expected \(expected) (the data is corrupt or was changed)"
        case .sizeMismatch(let expected, let actual, let what):
            return "\(what): size is \(actual) bytes, expected \(expected)"
        case .blobNotFound(let digest, let location): return "blob \(digest) not found in \(location)"
        case .invalidJSON(let what, let detail): return "\(what): invalid JSON: \(detail)"
        case .unknownMediaType(let type, let what): return "\(what): unknown media type \"\(type)\""
        case .io(let path, let operation, let errno):
            return "\(path): \(operation) failed: \(SystemErrors.message(errno))"
        case .archive(let path, let detail): return "\(path): \(detail)"
        case .corruptLayer(let what, let detail): return "\(what): corrupt layer: \(detail)"
        case .unsafeEntry(let entry, let reason): return "layer entry \"\(entry)\" refused: \(reason)"
        case .storeLocked(let path): return "\(path): the content store is locked by another mab process"
        case .tagNotFound(let tag, let location): return "tag \"\(tag)\" not found in \(location)"
        case .platformNotFound(let platform, let available):
            return "no image for platform \(platform) (available: \(available.joined(separator: ", ")))"
        case .invalidReference(let ref, let reason): return "invalid reference \"\(ref)\": \(reason)"
        case .unsupported(let what): return what
        }
    }
}
