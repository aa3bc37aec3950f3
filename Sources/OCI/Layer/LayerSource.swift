/// What a layer is made from.
public enum LayerSource: Sendable, Hashable {
    /// Every file under the directory (the directory itself is not an entry).
    case directory(String)
    /// An overlayfs upper directory: 0:0 character devices become `.wh.` whiteouts. A
    /// directory marked `trusted.overlay.opaque=y` gets, as from BuildKit's differ, a
    /// whiteout for each entry `lowers` (the directories under the upper, bottom first) show
    /// there that the upper does not have — none for a directory the step made new (overlayfs
    /// marks those opaque too); without `lowers`, one `.wh..wh..opq`.
    case overlayUpper(String, lowers: [String] = [])
    /// Paths of a root directory plus deletions; parent directories are included.
    case changes(root: String, changes: [LayerChange])
}
