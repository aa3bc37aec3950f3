/// One change of a change set, relative to a root directory.
public enum LayerChange: Sendable, Hashable {
    /// The path (file, directory, link) exists in the root and goes into the layer.
    case added(String)
    case modified(String)
    /// The path was deleted: the layer carries a whiteout `.wh.NAME`.
    case deleted(String)
    /// The directory replaces the lower one entirely: `.wh..wh..opq` inside it.
    case opaque(String)
}
