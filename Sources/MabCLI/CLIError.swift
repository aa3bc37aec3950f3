/// Errors of the command line itself (as opposed to a recipe's problems).
public enum CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    case recipeNotFound(String)
    case recipeIsDirectory(String)
    case recipeUnreadable(String)
    case encodingFailed(String)
    case usage(String)
    case notAvailable(String)

    public var description: String {
        switch self {
        case .recipeNotFound(let path): return "\(path): no such recipe file (use -f to name another, or -f - for stdin)"
        case .recipeIsDirectory(let path): return "\(path): is a directory, not a recipe (pass -f \(path)/Dockerfile)"
        case .recipeUnreadable(let path): return "\(path): cannot read the recipe (check its permissions)"
        case .encodingFailed(let what): return "could not encode the output: \(what)"
        case .usage(let text): return text
        case .notAvailable(let text): return "not available yet: \(text)"
        }
    }
}
