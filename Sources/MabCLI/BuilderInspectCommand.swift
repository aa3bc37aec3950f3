import ArgumentParser
import BuildKit
import Foundation

/// `mab builder inspect [NAME]`: each node's reachability, platforms and BuildKit version.
struct BuilderInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Ask each node of a builder what it is and builds.")

    @Argument(help: "The builder (default: the one in use).") var name: String?

    func run() throws {
        try CommandFailure.run {
            let environment = ProcessInfo.processInfo.environment
            let store = BuilderStore(environment: environment)
            guard let chosen = name ?? store.current() else { throw BuilderError.noBuilder }
            let builder = try store.load(chosen)
            let buildctl = try Buildctl.locate(environment: environment)
            var out = "Name: \(builder.name)\n"
            var unreachable = 0
            for node in builder.nodes {
                out += "\nNode:      \(node.name)\nAddress:   \(node.address)\n"
                if let tls = node.tls { out += "TLS:       " + tls.arguments.joined(separator: " ") + "\n" }
                if !node.platforms.isEmpty { out += "Declared:  \(node.platforms.map(\.description).joined(separator: ", "))\n" }
                do {
                    let caps = try buildctl.probe(node)
                    out += "Status:    running\nBuildKit:  \(caps.version ?? "unknown")\nPlatforms: \(caps.reported.map(\.description).joined(separator: ", "))\n"
                    out += "Native:    \(caps.native.map(\.description).joined(separator: ", "))\n"
                } catch {
                    unreachable += 1
                    out += "Status:    unreachable: \(error)\n"
                }
            }
            Terminal.output(out)
            if unreachable > 0 { throw ExitCode(1) }
        }
    }
}
