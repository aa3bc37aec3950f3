import ArgumentParser
import Foundation
import OCI
import Registry

/// `mab login HOST`
public struct LoginCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Check registry credentials and store them.")

    @Argument(help: "The registry host[:port].")
    var server: String

    @Option(name: [.short, .customLong("username")], help: "User name.")
    var username: String

    @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (the only way; it never appears in arguments).")
    var passwordStdin = false

    @OptionGroup var registry: RegistryOptions

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            guard passwordStdin else { throw CLIError.usage("pass the password on standard input with --password-stdin") }
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            guard !password.isEmpty else { throw CLIError.usage("no password on standard input") }
            let credentials = Credentials(username: username, secret: password)
            let environment = ProcessInfo.processInfo.environment
            let client = try RegistryClient(registry: server, insecureRegistries: registry.insecureRegistries, credentials: credentials, environment: environment)
            try client.checkLogin()
            try DockerConfig(environment: environment).store(credentials, for: server)
            Terminal.output("Login succeeded for \(username) at \(server)\n")
        }
    }
}

/// `mab logout HOST`
public struct LogoutCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "logout", abstract: "Remove stored registry credentials.")

    @Argument(help: "The registry host[:port].")
    var server: String

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            let removed = try DockerConfig(environment: ProcessInfo.processInfo.environment).remove(for: server)
            Terminal.output(removed ? "Removed credentials for \(server)\n" : "No credentials stored for \(server)\n")
        }
    }
}
