/// Lexical path cleaning for paths inside an image or a build context (`./a//b/../c/` →
/// `a/c`); the planner and the executor use it too.
public enum PathClean {
    /// Cleans and strips leading `/`; `..` that would climb above the root is dropped.
    public static func relative(_ path: String) -> String {
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
