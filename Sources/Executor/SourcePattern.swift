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
                for name in try FileSystem.list(dir).sorted() where fnmatch(element, name, 0) == 0 {
                    next.append(base.isEmpty ? name : base + "/" + name)
                }
            }
            current = next
        }
        return current.filter { !$0.isEmpty }
    }
}
