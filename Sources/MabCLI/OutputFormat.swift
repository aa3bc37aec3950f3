import ArgumentParser

/// How `mab parse` prints a recipe.
public enum ParseFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// BuildKit's parse-tree dump, one instruction a line.
    case ast
    /// The full instruction model as JSON.
    case json
}
