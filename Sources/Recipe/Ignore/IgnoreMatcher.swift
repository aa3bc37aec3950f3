/// A `.dockerignore` file's patterns, applied in order: the last pattern that matches a
/// path (or one of its parent directories) decides, and `!` patterns re-include.
public struct IgnoreMatcher: Sendable, Hashable {
    public let patterns: [IgnorePattern]

    public init(patterns: [String]) throws(IgnoreError) {
        var compiled: [IgnorePattern] = []
        for p in patterns where !p.trimmingGoSpace().isEmpty {
            compiled.append(try IgnorePattern(p))
        }
        self.patterns = compiled
    }

    /// Reads `.dockerignore` text: `#` comments, blank lines skipped, patterns cleaned and
    /// made relative to the context root.
    public init(fileContents: String) throws(IgnoreError) {
        try self.init(patterns: Self.readPatterns(fileContents))
    }

    public static func readPatterns(_ text: String) -> [String] {
        var out: [String] = []
        var first = true
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            if first, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            first = false
            if line.hasPrefix("#") { continue }
            var pattern = String(line).trimmingGoSpace()
            if pattern.isEmpty { continue }
            let invert = pattern.hasPrefix("!")
            if invert { pattern = String(pattern.dropFirst()).trimmingGoSpace() }
            if !pattern.isEmpty {
                pattern = PathClean.clean(pattern)
                if pattern.count > 1 && pattern.hasPrefix("/") { pattern.removeFirst() }
            }
            out.append(invert ? "!" + pattern : pattern)
        }
        return out
    }

    /// Whether some pattern re-includes (`!pattern`): an excluded directory may still have
    /// included files below it.
    public var hasExceptions: Bool { patterns.contains { $0.isExclusion } }

    /// Whether a walk of the context leaves `path` out, subtree and all: it is excluded,
    /// and it is not a directory that an exception pattern (`!dir/…`, `!**/…`) can reach
    /// into — one whose text before its first wildcard agrees with `path/`.
    public func prunes(_ path: String, isDirectory: Bool) -> Bool {
        guard excludes(path) else { return false }
        guard isDirectory else { return true }
        let dir = PathClean.clean(path) + "/"
        return !patterns.contains { pattern in
            guard pattern.isExclusion else { return false }
            let literal = pattern.text.prefix { !"*?[\\".contains($0) }
            return dir.hasPrefix(literal) || literal.hasPrefix(dir)
        }
    }

    /// Whether `path` (relative, slash-separated) is excluded from the build context.
    public func excludes(_ path: String) -> Bool {
        let file = PathClean.clean(path)
        var matched = false
        let parentDirs: [Substring]
        if let slash = file.lastIndex(of: "/") {
            parentDirs = file[..<slash].split(separator: "/", omittingEmptySubsequences: false)
        } else {
            parentDirs = []
        }
        for pattern in patterns {
            if pattern.isExclusion != matched { continue }
            var match = pattern.matches(file)
            if !match && !parentDirs.isEmpty {
                var prefix = ""
                for dir in parentDirs {
                    prefix = prefix.isEmpty ? String(dir) : prefix + "/" + dir
                    if pattern.matches(prefix) {
                        match = true
                        break
                    }
                }
            }
            if match { matched = !pattern.isExclusion }
        }
        return matched
    }

    /// Finds the ignore file for a recipe: `RECIPE.dockerignore` beside it wins over
    /// `.dockerignore` at the context root (as in BuildKit). Returns the path, or nil.
    public static func ignoreFilePath(recipePath: String?, contextDirectory: String, exists: (String) -> Bool) -> String? {
        if let recipePath, !recipePath.isEmpty, recipePath != "-" {
            let candidate = recipePath + ".dockerignore"
            if exists(candidate) { return candidate }
        }
        let root = contextDirectory.hasSuffix("/") ? contextDirectory : contextDirectory + "/"
        let candidate = root + ".dockerignore"
        return exists(candidate) ? candidate : nil
    }
}
