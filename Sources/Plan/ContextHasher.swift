import OCI
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// Content digests of build-context files, for cache keys: path relative to the context,
/// permission bits and content — never the host path, owner or mtime. `.dockerignore`d
/// files do not exist for the build. Digests are memoised per path for one plan.
final class ContextHasher {
    let root: String
    let ignore: IgnoreMatcher?
    private var fileDigests: [String: String] = [:]
    private var allFiles: [String]?

    init(root: String, ignore: IgnoreMatcher?) {
        self.root = root
        self.ignore = ignore
    }

    /// Every non-ignored path (files, links, directories) relative to the root, walk order.
    func files() throws -> [String] {
        if let allFiles { return allFiles }
        var out: [String] = []
        func walk(_ rel: String) throws {
            let dir = rel.isEmpty ? root : root + "/" + rel
            for name in try FileSystem.list(dir) {
                let child = rel.isEmpty ? name : rel + "/" + name
                if ignore?.excludes(child) == true && !(FileSystem.isDirectory(root + "/" + child) && hasException(under: child)) { continue }
                out.append(child)
                var st = stat()
                if lstat(root + "/" + child, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { try walk(child) }
            }
        }
        try walk("")
        allFiles = out
        return out
    }

    private func hasException(under dir: String) -> Bool {
        ignore?.patterns.contains { $0.isExclusion && $0.text.hasPrefix(dir + "/") } ?? false
    }

    /// The digest of one context entry (a file, a symlink, or a directory's whole content).
    func digest(of rel: String) throws -> String {
        if let d = fileDigests[rel] { return d }
        let path = root + "/" + rel
        var st = stat()
        guard lstat(path, &st) == 0 else { throw FileSystem.errnoError(path, "lstat") }
        let hasher = SHA256Hasher()
        let perm = String(st.st_mode & 0o7777, radix: 8)
        switch st.st_mode & S_IFMT {
        case S_IFREG:
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
        case S_IFLNK:
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(path, &target, Int(PATH_MAX))
            hasher.update(Array("link\n".utf8) + target[0..<max(0, n)].map { UInt8(bitPattern: $0) })
        case S_IFDIR:
            hasher.update(Array("dir \(perm)\n".utf8))
            for child in try files() where child.hasPrefix(rel + "/") && !child.dropFirst(rel.count + 1).contains("/") {
                let name = child.dropFirst(rel.count + 1)
                hasher.update(Array("\(name) \(try digest(of: child))\n".utf8))
            }
        default:
            hasher.update(Array("special\n".utf8))
        }
        let d = hasher.finalize().description
        fileDigests[rel] = d
        return d
    }

    /// Context paths a COPY/ADD source names: the path itself, or every match of a wildcard.
    func resolve(_ source: String) throws -> [String] {
        let cleaned = PathClean.relative(source)
        if cleaned.isEmpty { return [""] }
        let wildcard = cleaned.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
        if !wildcard {
            guard FileSystem.exists(root + "/" + cleaned), ignore?.excludes(cleaned) != true else { return [] }
            return [cleaned]
        }
        let pattern = try? IgnorePattern(cleaned)
        return try files().filter { path in
            path.split(separator: "/").count == cleaned.split(separator: "/").count && (pattern.map { IgnoreMatcherProbe.matches($0, path) } ?? false)
        }
    }
}

/// Exposes pattern matching for single paths (COPY wildcards use the same glob rules).
enum IgnoreMatcherProbe {
    static func matches(_ pattern: IgnorePattern, _ path: String) -> Bool {
        (try? IgnoreMatcher(patterns: [pattern.text]).excludes(path)) ?? false
    }
}

/// Lexical cleaning of context-relative paths.
enum PathClean {
    static func relative(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
