import Foundation
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// A persisted file-hash cache for one context directory (`MAB_HOME/hash-cache/<id>.json`):
/// relative path → (inode, size, mtime, mode) and the file's digest. A digest is reused only
/// while all four are unchanged; otherwise the file is hashed again. Only speeds planning
/// up: cache keys never depend on it.
public final class HashCache: @unchecked Sendable {
    struct Stamp: Codable, Hashable {
        var inode: UInt64
        var size: Int64
        var mtime: Int64
        var mode: UInt32

        init(_ st: stat) {
            inode = UInt64(st.st_ino)
            size = Int64(st.st_size)
            mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            mode = UInt32(st.st_mode)
        }
    }

    struct Entry: Codable {
        var stamp: Stamp
        var digest: String
    }

    let path: String
    private var entries: [String: Entry]
    private var dirty = false
    private let lock = NSLock()

    /// The cache for `contextDirectory` under `storeRoot`.
    public init(storeRoot: String, contextDirectory: String) {
        let absolute = URL(fileURLWithPath: contextDirectory).standardizedFileURL.path
        let id = Digest.of(Array(absolute.utf8)).hex.prefix(32)
        path = "\(storeRoot)/hash-cache/\(id).json"
        if let data = FileManager.default.contents(atPath: path),
            let decoded = try? JSONDecoder().decode([String: Entry].self, from: data)
        {
            entries = decoded
        } else {
            entries = [:]
        }
    }

    func lookup(_ rel: String, _ stamp: Stamp) -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = entries[rel], e.stamp == stamp else { return nil }
        return e.digest
    }

    func store(_ rel: String, _ stamp: Stamp, _ digest: String) {
        lock.lock()
        entries[rel] = Entry(stamp: stamp, digest: digest)
        dirty = true
        lock.unlock()
    }

    /// Writes the cache back (atomically) if anything changed.
    public func save() {
        lock.lock()
        defer { lock.unlock() }
        guard dirty, let data = try? JSONEncoder().encode(entries) else { return }
        try? FileSystem.makeDirectories(FileSystem.parent(path))
        try? FileSystem.writeFileAtomically(path, Array(data))
        dirty = false
    }
}
