/// What stops a comparison, said with the blob or image involved.
public enum DiffError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableLayer(String, detail: String)
    case hostileName(String, layer: String)
    case noCommonPlatform(a: [String], b: [String])
    case platformMissing(String, image: String, has: [String])

    public var description: String {
        switch self {
        case .unreadableLayer(let layer, let detail): return "layer \(layer): \(detail)"
        case .hostileName(let name, let layer): return "layer \(layer): entry \"\(name)\" leaves the image's root (absolute or ..)"
        case .noCommonPlatform(let a, let b):
            return "the images share no platform (A has \(a.joined(separator: ", ")); B has \(b.joined(separator: ", ")))"
        case .platformMissing(let p, let image, let has): return "\(image) has no \(p) image (it has \(has.joined(separator: ", ")))"
        }
    }
}
