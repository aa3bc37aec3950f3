import ArgumentParser

/// `mab cache`: questions about the build cache.
public struct CacheCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Explain the build cache: why steps hit or miss.",
        subcommands: [CacheExplainCommand.self])

    public init() {}
}
