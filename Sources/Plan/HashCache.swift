import Foundation
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// A persisted file-hash cache for one context directory (`MAB_HOME/hash-cache/<id>`,
/// one line per file: `digest inode size mtime mode path`):
/// relative path → (inode, size, mtime, mode) and the file's digest. A digest is reused only
/// while all four are unchanged; otherwise the file is hashed again. Only speeds planning
/// up: cache keys never depend on it.
public final class HashCache: @unchecked Sendable {
    struct Stamp: Codable, Hashable {
        var inode: UInt64
        var size: Int64
        var mtime: Int64
        var mode: UInt32

        init(inode: UInt64, size: Int64, mtime: Int64, mode: UInt32) {
            self.inode = inode
            self.size = size
            self.mtime = mtime
            self.mode = mode
        }

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
    private var entries: [String: Entry] = [:]
    private var dirty = false
    private let lock = NSLock()
    /// The file is read and parsed on another thread while the context is walked.
    private let loaded = DispatchGroup()

    /// The cache for `contextDirectory` under `storeRoot`.
    public init(storeRoot: String, contextDirectory: String) {
        let absolute = URL(fileURLWithPath: contextDirectory).standardizedFileURL.path
        let id = Digest.of(Array(absolute.utf8)).hex.prefix(32)
        path = "\(storeRoot)/hash-cache/\(id)"
        let path = self.path
        loaded.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let parsed = (try? FileSystem.readFile(path)).map(Self.parse) ?? [:]
            lock.lock()
            entries = parsed
            lock.unlock()
            loaded.leave()
        }
    }

    /// Keeps the table alive to the end of the process (a CLI about to exit need not free it).
    public func keepUntilExit() {
        _ = Unmanaged.passRetained(self)
    }

    /// Reads the line format; a malformed line is skipped (it is only a cache).
    static func parse(_ bytes: [UInt8]) -> [String: Entry] {
        var out: [String: Entry] = [:]
        out.reserveCapacity(bytes.count / 100)
        var lineStart = 0
        while lineStart < bytes.count {
            var end = lineStart
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            // digest inode size mtime mode path (the path may contain spaces: it is last).
            var fields: [Substring] = []
            var fieldStart = lineStart
            var i = lineStart
            while i < end, fields.count < 5 {
                if bytes[i] == 0x20 {
                    fields.append(Substring(String(decoding: bytes[fieldStart..<i], as: UTF8.self)))
                    fieldStart = i + 1
                }
                i += 1
            }
            if fields.count == 5, let inode = UInt64(fields[1]), let size = Int64(fields[2]), let mtime = Int64(fields[3]),
                let mode = UInt32(fields[4])
            {
                let rel = String(decoding: bytes[fieldStart..<end], as: UTF8.self)
                out[rel] = Entry(stamp: Stamp(inode: inode, size: size, mtime: mtime, mode: mode), digest: String(fields[0]))
            }
            lineStart = end + 1
        }
        return out
    }

    func lookup(_ rel: String, _ stamp: Stamp) -> String? {
        loaded.wait()
        lock.lock()
        defer { lock.unlock() }
        guard let e = entries[rel], e.stamp == stamp else { return nil }
        return e.digest
    }

    func store(_ rel: String, _ stamp: Stamp, _ digest: String) {
        loaded.wait()
        lock.lock()
        entries[rel] = Entry(stamp: stamp, digest: digest)
        dirty = true
        lock.unlock()
    }

    /// Writes the cache back (atomically) if anything changed.
    public func save() {
        loaded.wait()
        lock.lock()
        defer { lock.unlock() }
        guard dirty else { return }
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 120)
        for (rel, e) in entries where !rel.contains("\n") {
            out.append(contentsOf: "\(e.digest) \(e.stamp.inode) \(e.stamp.size) \(e.stamp.mtime) \(e.stamp.mode) \(rel)\n".utf8)
        }
        try? FileSystem.makeDirectories(FileSystem.parent(path))
        try? FileSystem.writeFileAtomically(path, out)
        dirty = false
    }
}
