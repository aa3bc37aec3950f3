import ArgumentParser
import Foundation
import OCI
import Registry

/// Flags every command that talks to registries shares.
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("insecure-registry"), help: "Allow plain HTTP to this HOST[:PORT] (loopback is always allowed).")
    var insecureRegistries: [String] = []

    func client(for registry: String) throws -> RegistryClient {
        let environment = ProcessInfo.processInfo.environment
        let credentials = try DockerConfig(environment: environment).credentials(for: registry)
        return try RegistryClient(registry: registry, insecureRegistries: insecureRegistries, credentials: credentials, environment: environment)
    }
}
