import Dispatch
import OCI
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// Content digests of build-context files, for cache keys: path relative to the context,
/// permission bits and content — never the host path, owner or mtime. `.dockerignore`d
/// files do not exist for the build. File digests are memoised for one plan and, with a
/// `HashCache`, across plans (reused only while inode, size, mtime and mode are unchanged).
final class ContextHasher: @unchecked Sendable {
    let root: String
    let ignore: IgnoreMatcher?
    let cache: HashCache?

    /// One walked entry; children and parent are indices into `entries`.
    struct Entry: @unchecked Sendable {
        var rel: String
        var st: stat
        var children: [Int] = []
    }

    private var entries: [Entry] = []
    private var indexByPath: [String: Int] = [:]
    private var digests: [String?] = []
    private var walked = false

    init(root: String, ignore: IgnoreMatcher?, cache: HashCache? = nil) {
        self.root = root
        self.ignore = ignore
        self.cache = cache
    }

    /// Walks the context once: every non-ignored path, in walk order (index 0 is the root).
    /// The top of the tree is scanned until there are enough directories to share out, then
    /// those subtrees are walked on all cores (stat calls dominate) and stitched back in order.
    private func walk() throws {
        if walked { return }
        walked = true
        var rootStat = stat()
        guard lstat(root, &rootStat) == 0 else { throw FileSystem.errnoError(root, "lstat") }
        let rootNode = WalkNode(entry: Entry(rel: "", st: rootStat))
        var frontier = [rootNode]
        // Expand breadth-first while there are too few directories to keep two cores busy.
        var depth = 0
        while frontier.count < 16 && depth < 4 && !frontier.isEmpty {
            var next: [WalkNode] = []
            for node in frontier {
                let fd = try openDirectory(node.entry.rel)
                defer { close(fd) }
                var list: [Entry] = []
                _ = try scan(fd, node.entry.rel, into: &list, recurse: false)
                node.kids = list.map { WalkNode(entry: $0) }
                node.scanned = true
                next += node.kids.filter { ($0.entry.st.st_mode & S_IFMT) == S_IFDIR }
            }
            frontier = next
            depth += 1
        }
        let jobs = frontier
        let paths = jobs.map(\.entry.rel)
        let results = SubtreeResults(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            do {
                let fd = try openDirectory(paths[i])
                defer { close(fd) }
                var list: [Entry] = []
                let kids = try scan(fd, paths[i], into: &list, recurse: true)
                results.set(i, list, kids)
            } catch {
                results.fail(i, error)
            }
        }
        if let error = results.firstError { throw error }
        for (i, node) in jobs.enumerated() { node.subtree = results.result(i) }
        entries = []
        flatten(rootNode)
        indexByPath.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() { indexByPath[e.rel] = i }
        digests = Array(repeating: nil, count: entries.count)
    }

    private func openDirectory(_ rel: String) throws -> Int32 {
        let path = rel.isEmpty ? root : root + "/" + rel
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.errnoError(path, "open") }
        return fd
    }

    /// Appends `node` and everything below it to `entries` in walk order; returns its index.
    @discardableResult
    private func flatten(_ node: WalkNode) -> Int {
        let index = entries.count
        var entry = node.entry
        entry.children = []
        entries.append(entry)
        if let (list, kids) = node.subtree {
            let offset = entries.count
            for var e in list {
                e.children = e.children.map { $0 + offset }
                entries.append(e)
            }
            entries[index].children = kids.map { $0 + offset }
        } else if node.scanned {
            var kids: [Int] = []
            for kid in node.kids { kids.append(flatten(kid)) }
            entries[index].children = kids
        }
        return index
    }

    /// Lists `dirFD` (whose context path is `rel`), stats each entry relative to it, and
    /// appends them (and, when `recurse`, their subtrees) to `out`; returns the indices of
    /// the directory's own entries. Children indices are positions in `out`.
    private func scan(_ dirFD: Int32, _ rel: String, into out: inout [Entry], recurse: Bool) throws -> [Int] {
        let listFD = dup(dirFD)
        guard let dir = fdopendir(listFD) else {
            close(listFD)
            throw FileSystem.errnoError(rel.isEmpty ? root : root + "/" + rel, "opendir")
        }
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw -> String in
                let bytes = raw.bindMemory(to: UInt8.self)
                return String(decoding: bytes[0..<(bytes.firstIndex(of: 0) ?? bytes.count)], as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var mine: [Int] = []
        for name in names {
            let child = rel.isEmpty ? name : rel + "/" + name
            var st = stat()
            guard fstatat(dirFD, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { throw FileSystem.errnoError(root + "/" + child, "lstat") }
            let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
            if let ignore, ignore.prunes(child, isDirectory: isDirectory) { continue }
            let index = out.count
            out.append(Entry(rel: child, st: st))
            mine.append(index)
            if isDirectory && recurse {
                let sub = openat(dirFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard sub >= 0 else { throw FileSystem.errnoError(root + "/" + child, "open") }
                defer { close(sub) }
                let kids = try scan(sub, child, into: &out, recurse: true)
                out[index].children = kids
            }
        }
        return mine
    }

    /// Every non-ignored path relative to the root, walk order.
    func files() throws -> [String] {
        try walk()
        return entries.dropFirst().map(\.rel)
    }

    /// The digest of one context entry (a file, a symlink, or a directory's whole content;
    /// "" is the context root).
    func digest(of rel: String) throws -> String {
        try walk()
        guard let index = indexByPath[rel] else {
            throw OCIError.io(path: root + "/" + rel, operation: "read", errno: ENOENT)
        }
        return try digest(at: index)
    }

    /// Every entry at or below `rel` ("" is the root) with its digest — a file's content
    /// digest, a directory's `dir MODE` — what a source's digest was made of, path by path.
    func entries(under rel: String) throws -> [String: String] {
        try walk()
        guard let start = indexByPath[rel] else { return [:] }
        var out: [String: String] = [:]
        var pending = [start]
        while let i = pending.popLast() {
            let e = entries[i]
            if (e.st.st_mode & S_IFMT) == S_IFDIR {
                out[e.rel.isEmpty ? "." : e.rel] = "dir " + String(e.st.st_mode & 0o7777, radix: 8)
                pending.append(contentsOf: e.children)
            } else {
                out[e.rel] = try digest(at: i)
            }
        }
        return out
    }

    private func digest(at index: Int) throws -> String {
        if let d = digests[index] { return d }
        let entry = entries[index]
        let rel = entry.rel
        let path = rel.isEmpty ? root : root + "/" + rel
        let st = entry.st
        let perm = String(st.st_mode & 0o7777, radix: 8)
        let d: String
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            let stamp = HashCache.Stamp(st)
            if let cached = cache?.lookup(rel, stamp) {
                d = cached
            } else {
                let hasher = SHA256Hasher()
                hasher.update(Array("file \(perm)\n".utf8))
                let fd = try FileSystem.open(path, O_RDONLY)
                defer { close(fd) }
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
                defer { buffer.deallocate() }
                while true {
                    let n = try FileSystem.read(fd, into: buffer, path: path)
                    if n == 0 { break }
                    hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                }
                d = hasher.finalize().description
                cache?.store(rel, stamp, d)
            }
        case S_IFLNK:
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(path, &target, Int(PATH_MAX))
            d = Digest.of(Array("link\n".utf8) + target[0..<max(0, n)].map { UInt8(bitPattern: $0) }).description
        case S_IFDIR:
            let hasher = SHA256Hasher()
            hasher.update(Array("dir \(rel.isEmpty ? "root" : perm)\n".utf8))
            let prefix = rel.isEmpty ? 0 : rel.utf8.count + 1
            for child in entry.children {
                let name = entries[child].rel.utf8.dropFirst(prefix)
                hasher.update(Array(name) + [0x20] + Array(try digest(at: child).utf8) + [0x0A])
            }
            d = hasher.finalize().description
        default:
            d = Digest.of(Array("special\n".utf8)).description
        }
        digests[index] = d
        return d
    }

    /// Context paths a COPY/ADD source names: the path itself, or every match of a wildcard.
    /// Whether a COPY/ADD source is a pattern (`*`, `?`, `[…]`) rather than a name.
    static func hasWildcard(_ source: String) -> Bool {
        source.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    func resolve(_ source: String) throws -> [String] {
        let cleaned = PathClean.relative(source)
        if cleaned.isEmpty { return [""] }
        if !Self.hasWildcard(cleaned) {
            try walk()
            return indexByPath[cleaned] != nil ? [cleaned] : []
        }
        let matcher = try? IgnoreMatcher(patterns: [cleaned])
        let depth = cleaned.split(separator: "/").count
        return try files().filter { $0.split(separator: "/").count == depth && (matcher?.excludes($0) ?? false) }
    }
}
