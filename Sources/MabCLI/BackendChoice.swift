import ArgumentParser

/// `--backend`: where the steps run. `auto` is BuildKit when a builder is selected
/// (`--builder`, `BUILDKIT_HOST`, `mab builder use`), else the native executor.
public enum BackendChoice: String, ExpressibleByArgument, CaseIterable, Sendable, Codable {
    case auto
    case native
    case buildkit
}
