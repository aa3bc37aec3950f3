/// An image's filesystem as its layers stack up, whiteouts applied: path → record. The
/// root and the directories a layer only implies are not listed unless a layer names them.
public struct FlatTree: Sendable {
    public private(set) var files: [String: FileRecord] = [:]
    /// Uncompressed bytes of file content read, for the speed figures.
    public private(set) var contentBytes: Int64 = 0

    public init() {}

    /// Stacks one more layer on top.
    public mutating func apply(_ entries: [LayerEntry]) {
        for e in entries {
            switch e {
            case .whiteout(let path):
                remove(path, keepingItself: false)
            case .opaque(let dir):
                remove(dir, keepingItself: true)
            case .record(var r):
                // A type change replaces the whole old subtree (a directory that became a file).
                if let old = files[r.path], old.kind == .directory, r.kind != .directory { remove(r.path, keepingItself: false) }
                if r.kind == .hardlink, let target = r.linkTarget, let t = files[target] {
                    r.digest = t.digest
                    r.size = t.size
                    r.content = t.content
                }
                if r.kind == .file { contentBytes += r.size }
                files[r.path] = r
            }
        }
    }

    private mutating func remove(_ path: String, keepingItself: Bool) {
        let prefix = path == "/" ? "/" : path + "/"
        for key in files.keys where key.hasPrefix(prefix) { files[key] = nil }
        if !keepingItself { files[path] = nil }
    }
}
