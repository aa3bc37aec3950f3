import ArgumentParser
import BuildKit
import Foundation

/// `mab builder use NAME`: the builder later builds use when no --builder is given.
struct BuilderUseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "use", abstract: "Make a builder the one builds use by default.")

    @Argument(help: "The builder.") var name: String

    func run() throws {
        try CommandFailure.run { try BuilderStore(environment: ProcessInfo.processInfo.environment).use(name) }
    }
}
