/// What a layer is made from.
public enum LayerSource: Sendable, Hashable {
    /// Every file under the directory (the directory itself is not an entry).
    case directory(String)
    /// An overlayfs upper directory: 0:0 character devices become `.wh.` whiteouts and
    /// directories marked `trusted.overlay.opaque=y` get `.wh..wh..opq`.
    case overlayUpper(String)
    /// Paths of a root directory plus deletions; parent directories are included.
    case changes(root: String, changes: [LayerChange])
}
