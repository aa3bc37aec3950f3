import ArgumentParser

/// `mab builder`: named sets of buildkitd nodes, as `docker buildx create/ls/inspect/rm/use`.
public struct BuilderCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "builder",
        abstract: "Manage builders: named sets of buildkitd nodes.",
        subcommands: [BuilderCreateCommand.self, BuilderListCommand.self, BuilderInspectCommand.self, BuilderRemoveCommand.self, BuilderUseCommand.self])

    public init() {}
}
