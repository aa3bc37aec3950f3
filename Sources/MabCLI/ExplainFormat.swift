import ArgumentParser

/// `mab cache explain --format`.
enum ExplainFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
