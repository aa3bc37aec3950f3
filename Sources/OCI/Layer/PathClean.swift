/// Lexical path cleaning for paths inside an image (`a//b/./c/` → `a/b/c`).
enum PathClean {
    /// Cleans and strips leading `/`; `..` that would climb above the root is dropped.
    static func relative(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
