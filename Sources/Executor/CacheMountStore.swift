import Foundation
import OCI
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// The persistent directories of `RUN --mount=type=cache`, under `MAB_HOME/cache-mounts`:
/// one per cache id (the target when no id is given), kept across builds, shared by every
/// stage and platform that names the id, as BuildKit shares them. Sharing modes:
/// `shared` — used by any number of steps at once; `locked` — one step at a time, the others
/// wait (Ctrl-C still stops them); `private` — a step that finds the cache in use by another
/// `private` or `locked` step gets a fresh empty directory of its own, thrown away after.
public struct CacheMountStore: Sendable {
    let root: String
    let scratch: String

    public init(store: ContentStore) {
        root = store.root + "/cache-mounts"
        scratch = store.root + "/tmp"
    }

    /// The directory to mount for `id`, created (mode, owner) the first time; what must be
    /// undone when the step ends is appended to `undo`.
    func directory(
        id: String, sharing: MountSpec.Sharing, mode: UInt32, uid: UInt32, gid: UInt32, cancellation: Cancellation, undo: inout [() -> Void]
    ) throws -> String {
        let name = Digest.of(Array(id.utf8)).hex.prefix(32)
        let base = root + "/" + name
        let data = base + "/data"
        if !FileSystem.exists(data) {
            try FileSystem.makeDirectories(base)
            try FileSystem.writeFileAtomically(base + "/id", Array((id + "\n").utf8))
            try Self.makeDirectory(data, mode: mode, uid: uid, gid: gid)
        }
        if sharing == .shared { return data }
        let fd = open(base + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.errnoError(base + "/lock", "open") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd)
                throw FileSystem.errnoError(base + "/lock", "flock")
            }
            if sharing == .private {
                close(fd)
                let own = try FileSystem.makeTemporaryDirectory(in: scratch, prefix: "cache")
                undo.append { try? FileSystem.removeTree(own) }
                try Self.makeDirectory(own + "/data", mode: mode, uid: uid, gid: gid)
                return own + "/data"
            }
            do { try cancellation.check() } catch {
                close(fd)
                throw error
            }
            usleep(50_000)
        }
        undo.append {
            flock(fd, LOCK_UN)
            close(fd)
        }
        return data
    }

    private static func makeDirectory(_ path: String, mode: UInt32, uid: UInt32, gid: UInt32) throws {
        if mkdir(path, mode_t(mode)) != 0 && errno != EEXIST { throw FileSystem.errnoError(path, "mkdir") }
        if chmod(path, mode_t(mode)) != 0 { throw FileSystem.errnoError(path, "chmod") }
        if chown(path, uid, gid) != 0 { throw FileSystem.errnoError(path, "chown") }
    }

    /// Deletes every cache mount (their contents are never part of a layer or a key, so the
    /// next build just starts with empty caches); returns how many. Call only under the
    /// store's exclusive lock.
    public func removeAll() throws -> Int {
        guard FileSystem.isDirectory(root) else { return 0 }
        let names = try FileSystem.list(root).filter { !$0.hasSuffix(".lock") }
        try FileSystem.removeTree(root)
        return names.count
    }
}
