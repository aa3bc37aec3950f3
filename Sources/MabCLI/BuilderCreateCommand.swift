import ArgumentParser
import BuildKit
import Foundation
import OCI

/// `mab builder create NAME [--node NODE] [--platform LIST] [--append] ADDRESS [--tls…]`.
struct BuilderCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a builder of one node, or add a node to one (--append).")

    @Argument(help: "The builder's name.") var name: String
    @Argument(help: "The node's buildkitd address: unix:///PATH or tcp://HOST:PORT.") var address: String
    @Option(help: "The node's name (default: NAME0, NAME1, …).") var node: String?
    @Option(help: "Platforms the node builds natively, comma separated (default: those its workers report first).") var platform: String?
    @Flag(help: "Add the node to an existing builder.") var append = false
    @Option(help: "CA certificate to verify the node (tcp, mutual TLS).") var tlscacert: String?
    @Option(help: "Client certificate.") var tlscert: String?
    @Option(help: "Client key.") var tlskey: String?
    @Option(help: "Server name the node's certificate names.") var tlsservername: String?

    func run() throws {
        try CommandFailure.run {
            let store = BuilderStore(environment: ProcessInfo.processInfo.environment)
            try Builder.validate(name: name)
            let cwd = FileManager.default.currentDirectoryPath
            let tls = TLSFiles(caCert: tlscacert, cert: tlscert, key: tlskey, serverName: tlsservername).absolute(from: cwd)
            try tls.validate()
            let platforms = try (platform ?? "").split(separator: ",").map { try Platform(parsing: String($0)) }
            var builder = Builder(name: name, nodes: [])
            if store.names().contains(name) {
                guard append else { throw BuilderError.builderExists(name) }
                builder = try store.load(name)
            } else if append {
                throw BuilderError.noSuchBuilder(name, known: store.names())
            }
            let nodeName = node ?? "\(name)\(builder.nodes.count)"
            try Builder.validate(name: nodeName)
            guard !builder.nodes.contains(where: { $0.name == nodeName }) else { throw BuilderError.duplicateNode(builder: name, node: nodeName) }
            builder.nodes.append(BuilderNode(name: nodeName, address: try BuilderAddress(parsing: address), platforms: platforms, tls: tls))
            try store.save(builder)
            Terminal.output(name + "\n")
        }
    }
}
