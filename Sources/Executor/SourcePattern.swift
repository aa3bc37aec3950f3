import Foundation
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// COPY/ADD source wildcards, matched as Go's `filepath.Match` matches them, one path
/// element at a time (`*`, `?`, `[…]`; `*` does not cross `/`), inside a root.
enum SourcePattern {
    static func hasWildcard(_ source: String) -> Bool {
        source.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The paths (relative to `root`, sorted) that `pattern` matches.
    static func expand(_ pattern: String, in root: String) throws -> [String] {
        var current = [""]
        for element in PathClean.relative(pattern).split(separator: "/").map(String.init) {
            var next: [String] = []
            for base in current {
                if !hasWildcard(element) {
                    let candidate = base.isEmpty ? element : base + "/" + element
                    if try RootPath.resolve(candidate, in: root) != nil { next.append(candidate) }
                    continue
                }
                guard let dir = try RootPath.resolve(base, in: root), FileSystem.isDirectory(dir) else { continue }
                let glob = fnmatchPattern(element)
                for name in try FileSystem.list(dir).sorted() where fnmatch(glob, name, 0) == 0 {
                    next.append(base.isEmpty ? name : base + "/" + name)
                }
            }
            current = next
        }
        return current.filter { !$0.isEmpty }
    }

    /// A Go `path.Match` element as fnmatch(3) reads the same: Go negates a class with `^`
    /// only, so a `!` first in a class is a literal there (`[!a]` is the set {!, a}).
    static func fnmatchPattern(_ element: String) -> String {
        var out = ""
        var escaped = false, opensClass = false
        for c in element {
            if c == "!" && opensClass { out += "\\!" } else { out.append(c) }
            opensClass = c == "[" && !escaped
            escaped = c == "\\" && !escaped
        }
        return out
    }
}
