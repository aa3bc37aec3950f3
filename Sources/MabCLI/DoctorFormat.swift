import ArgumentParser

/// `mab doctor --format`.
public enum DoctorFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
