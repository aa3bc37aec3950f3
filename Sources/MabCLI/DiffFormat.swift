import ArgumentParser

/// How `mab diff` (and the comparisons of `mab repro`) are printed.
public enum DiffFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, markdown
}
