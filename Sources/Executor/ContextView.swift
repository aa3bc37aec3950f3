import OCI
import Recipe
import CSystem

#if canImport(Glibc)
import Glibc
#endif

/// A read-only view of a build-context directory without what its `.dockerignore`
/// excludes: an overlay of the directory under a layer that holds a whiteout (a 0:0
/// character device) for each excluded entry. A bind mount of the context shows what COPY
/// sees and what the cache key hashed — never an excluded `.env` or key file.
final class ContextView: @unchecked Sendable {
    /// The directory to bind: the view, or the context itself when nothing is excluded.
    let root: String
    private var mounted = false

    /// Walks `context` by the same rule as the planner's hasher (`IgnoreMatcher.prunes`) and
    /// mounts the view under `directory` (a fresh directory of the store's tmp/).
    init(context: String, ignore: IgnoreMatcher, in directory: String) throws {
        let hidden = directory + "/hidden"
        try FileSystem.makeDirectories(hidden)
        var count = 0
        try Self.hide(context, relative: "", ignore: ignore, into: hidden, count: &count)
        guard count > 0 else {
            root = context
            return
        }
        root = directory + "/view"
        try FileSystem.makeDirectories(root)
        // overlayfs lists the top-most lower first; with no upper directory it is read-only.
        if mount("overlay", root, "overlay", UInt(MS_RDONLY), "lowerdir=\(hidden):\(context)") != 0 {
            throw ExecutorError.mount(target: root, detail: String(cString: strerror(errno)))
        }
        mounted = true
    }

    /// A whiteout in `hidden` for every entry the walk leaves out; directories an exception
    /// reaches into are walked, and hidden whole when nothing below them is left. Returns
    /// whether every entry of the directory was hidden.
    @discardableResult
    private static func hide(_ context: String, relative: String, ignore: IgnoreMatcher, into hidden: String, count: inout Int) throws -> Bool {
        let dir = relative.isEmpty ? context : context + "/" + relative
        var all = true
        for name in try FileSystem.list(dir).sorted() {
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(dir + "/" + name, &st) == 0 else { throw FileSystem.errnoError(dir + "/" + name, "lstat") }
            let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
            if ignore.prunes(rel, isDirectory: isDirectory) {
                try whiteout(hidden + "/" + rel)
                count += 1
            } else if isDirectory {
                try FileSystem.makeDirectories(hidden + "/" + rel)
                let before = count
                if try hide(context, relative: rel, ignore: ignore, into: hidden, count: &count), ignore.excludes(rel) {
                    // Excluded, walked for an exception that matched nothing: hidden whole.
                    try FileSystem.removeTree(hidden + "/" + rel)
                    try whiteout(hidden + "/" + rel)
                    count = before + 1
                } else {
                    all = false
                }
            } else {
                all = false
            }
        }
        return all
    }

    private static func whiteout(_ path: String) throws {
        if mknod(path, S_IFCHR | 0o600, mab_makedev(0, 0)) != 0 { throw FileSystem.errnoError(path, "mknod") }
    }

    func unmount() {
        guard mounted else { return }
        if umount2(root, 0) != 0 { umount2(root, Int32(MNT_DETACH)) }
        mounted = false
    }

    deinit { unmount() }
}
