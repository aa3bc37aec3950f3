import ArgumentParser

/// `--backend`: which executor runs the steps. `auto` is the native executor, the one
/// that needs no daemon; it is what every build uses until a BuildKit backend exists.
public enum BackendChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case auto
    case native
}
