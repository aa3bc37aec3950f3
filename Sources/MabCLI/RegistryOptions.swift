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
        let client = try RegistryClient(registry: registry, insecureRegistries: insecureRegistries, credentials: credentials, environment: environment)
        // MAB_REGISTRY_BACKOFF (seconds) shortens retry waits, e.g. in fault tests.
        if let text = environment["MAB_REGISTRY_BACKOFF"], let seconds = Double(text), seconds >= 0 { client.backoff = seconds }
        // MAB_REGISTRY_CHUNK_SIZE (bytes) sets when uploads switch to chunked PATCHes.
        if let text = environment["MAB_REGISTRY_CHUNK_SIZE"], let bytes = Int64(text), bytes > 0 { client.chunkSize = bytes }
        return client
    }
}
