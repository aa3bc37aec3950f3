import ArgumentParser

/// The `mab` command line: a thin shell over the libraries.
public struct MabCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "mab",
        abstract: "Multi-arch container build orchestrator: plans, builds and reports on linux/amd64 and linux/arm64 images.",
        version: "mab \(version)",
        subcommands: [ParseCommand.self, PlanCommand.self, BuildCommand.self, ReproCommand.self, DiffCommand.self, CacheCommand.self, BuilderCommand.self, DoctorCommand.self, ImportCommand.self, InspectCommand.self, PullCommand.self, PushCommand.self, LoginCommand.self, LogoutCommand.self, LayerCommand.self, StoreCommand.self]
    )

    public init() {}
}
