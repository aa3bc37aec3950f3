import ArgumentParser
import BuildKit
import Foundation

/// `mab builder ls`: every builder and its nodes (`*` marks the one in use).
struct BuilderListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List builders and their nodes.")

    func run() throws {
        try CommandFailure.run {
            let store = BuilderStore(environment: ProcessInfo.processInfo.environment)
            let current = store.current()
            var out = "NAME/NODE".padding(toLength: 24, withPad: " ", startingAt: 0) + " ADDRESS".padding(toLength: 40, withPad: " ", startingAt: 0) + " PLATFORMS\n"
            for b in try store.all() {
                out += (b.name + (b.name == current ? " *" : "")) + "\n"
                for n in b.nodes {
                    out += ("  \\_ " + n.name).padding(toLength: 24, withPad: " ", startingAt: 0) + " " + n.address.description.padding(toLength: 39, withPad: " ", startingAt: 0)
                        + " " + (n.platforms.isEmpty ? "(reported)" : n.platforms.map(\.description).joined(separator: ", ") + "*") + "\n"
                }
            }
            Terminal.output(out)
        }
    }
}
