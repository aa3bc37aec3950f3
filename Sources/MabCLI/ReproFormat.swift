import ArgumentParser

/// `mab repro --format`.
enum ReproFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, markdown
}
