import ArgumentParser
import BuildKit
import Foundation

/// `mab builder rm NAME`.
struct BuilderRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a builder.")

    @Argument(help: "The builder.") var name: String

    func run() throws {
        try CommandFailure.run { try BuilderStore(environment: ProcessInfo.processInfo.environment).remove(name) }
    }
}
