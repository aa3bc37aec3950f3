/// Lexical cleaning of paths relative to a context or a root (never above it).
enum ContextPathClean {
    static func clean(_ path: String) -> String { PathParts.clean(path) }
}
