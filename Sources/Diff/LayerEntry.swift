/// One entry of a layer tar, in the order the tar holds it: a path, or a whiteout that
/// deletes one (`.wh.NAME`) or empties a directory of what lower layers put there
/// (`.wh..wh..opq`).
public enum LayerEntry: Sendable, Hashable {
    case record(FileRecord)
    case whiteout(path: String)
    case opaque(directory: String)

    public var path: String {
        switch self {
        case .record(let r): return r.path
        case .whiteout(let p): return p
        case .opaque(let d): return d
        }
    }
}
