import OCI
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// Content digests of build-context files, for cache keys: path relative to the context,
/// permission bits and content — never the host path, owner or mtime. `.dockerignore`d
/// files do not exist for the build. File digests are memoised for one plan and, with a
/// `HashCache`, across plans (reused only while inode, size, mtime and mode are unchanged).
final class ContextHasher {
    let root: String
    let ignore: IgnoreMatcher?
    let cache: HashCache?
    private var digests: [String: String] = [:]
    private var allFiles: [String]?
    private var children: [String: [String]] = [:]
    /// lstat results from the walk, reused when hashing.
    private var stats: [String: stat] = [:]

    init(root: String, ignore: IgnoreMatcher?, cache: HashCache? = nil) {
        self.root = root
        self.ignore = ignore
        self.cache = cache
    }

    /// Every non-ignored path (files, links, directories) relative to the root, walk order.
    func files() throws -> [String] {
        if let allFiles { return allFiles }
        var out: [String] = []
        var kids: [String: [String]] = [:]
        func walk(_ rel: String) throws {
            let dir = rel.isEmpty ? root : root + "/" + rel
            for name in try FileSystem.list(dir) {
                let child = rel.isEmpty ? name : rel + "/" + name
                var st = stat()
                guard lstat(root + "/" + child, &st) == 0 else { throw FileSystem.errnoError(root + "/" + child, "lstat") }
                let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
                if ignore?.excludes(child) == true && !(isDirectory && hasException(under: child)) { continue }
                out.append(child)
                stats[child] = st
                kids[rel, default: []].append(child)
                if isDirectory { try walk(child) }
            }
        }
        try walk("")
        allFiles = out
        children = kids
        return out
    }

    private func hasException(under dir: String) -> Bool {
        ignore?.patterns.contains { $0.isExclusion && $0.text.hasPrefix(dir + "/") } ?? false
    }

    /// The digest of one context entry (a file, a symlink, or a directory's whole content;
    /// "" is the context root).
    func digest(of rel: String) throws -> String {
        if let d = digests[rel] { return d }
        let path = rel.isEmpty ? root : root + "/" + rel
        var st = stat()
        if let known = stats[rel] {
            st = known
        } else {
            guard lstat(path, &st) == 0 else { throw FileSystem.errnoError(path, "lstat") }
        }
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
            _ = try files()
            let hasher = SHA256Hasher()
            hasher.update(Array("dir \(rel.isEmpty ? "root" : perm)\n".utf8))
            for child in children[rel] ?? [] {
                let name = rel.isEmpty ? child : String(child.dropFirst(rel.count + 1))
                hasher.update(Array("\(name) \(try digest(of: child))\n".utf8))
            }
            d = hasher.finalize().description
        default:
            d = Digest.of(Array("special\n".utf8)).description
        }
        digests[rel] = d
        return d
    }

    /// Context paths a COPY/ADD source names: the path itself, or every match of a wildcard.
    func resolve(_ source: String) throws -> [String] {
        let cleaned = ContextPath.clean(source)
        if cleaned.isEmpty { return [""] }
        let wildcard = cleaned.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
        if !wildcard {
            guard FileSystem.exists(root + "/" + cleaned), ignore?.excludes(cleaned) != true else { return [] }
            return [cleaned]
        }
        let matcher = try? IgnoreMatcher(patterns: [cleaned])
        let depth = cleaned.split(separator: "/").count
        return try files().filter { $0.split(separator: "/").count == depth && (matcher?.excludes($0) ?? false) }
    }
}
