import Foundation

/// Runs the real `mab` binary built beside the test bundle.
struct MabProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        let bundleDir = URL(fileURLWithPath: Swift.CommandLine.arguments[0]).deletingLastPathComponent()
        return bundleDir.appendingPathComponent("mab")
    }

    /// Runs mab. No builder of the machine's leaks in: BUILDKIT_HOST is dropped and the
    /// builders are read from an empty config directory, unless the test gives them.
    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let isolated = ["BUILDKIT_HOST": "", "XDG_CONFIG_HOME": FileManager.default.temporaryDirectory.path + "/mab-test-no-builders"]
        return try run(executable: executable.path, arguments, stdin: stdin, in: directory, environment: isolated.merging(environment) { $1 })
    }

    static func run(executable path: String, _ arguments: [String], stdin: String? = nil, in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mab-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
