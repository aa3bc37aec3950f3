import OCI

#if canImport(Glibc)
import Glibc
#endif

/// An overlayfs mount for one step: read-only lower directories (bottom first), a fresh
/// upper directory that receives everything the step writes, and the merged view. The
/// upper directory is the step's diff (overlay whiteouts are 0:0 character devices).
public final class OverlayMount {
    public let merged: String
    public let upper: String
    let work: String
    private var mounted = false

    /// Mounts `lowers` (bottom first) under `directory`/{upper,work,merged}; mounting again
    /// in the same directory after `unmount` keeps the upper directory's contents.
    public init(lowers: [String], in directory: String) throws {
        guard geteuid() == 0 else { throw ExecutorError.needsRoot("RUN") }
        upper = directory + "/upper"
        work = directory + "/work"
        merged = directory + "/merged"
        for d in [upper, work, merged] { try FileSystem.makeDirectories(d) }
        // overlayfs lists the top-most lower first, and refuses a directory named twice
        // (ELOOP): only its top-most place is kept, which shows the same tree.
        var seen: Set<String> = []
        let lowerList = lowers.reversed().filter { seen.insert($0).inserted }.joined(separator: ":")
        let options = "lowerdir=\(lowerList),upperdir=\(upper),workdir=\(work)"
        if mount("overlay", merged, "overlay", 0, options) != 0 {
            throw ExecutorError.mount(target: merged, detail: String(cString: strerror(errno)))
        }
        mounted = true
    }

    /// Unmounts (lazily if busy); the upper directory stays for writing the layer.
    public func unmount() {
        guard mounted else { return }
        if umount2(merged, 0) != 0 { umount2(merged, Int32(MNT_DETACH)) }
        mounted = false
    }

    deinit { unmount() }
}
