import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 with a
/// temporary storage directory, started for a test and stopped (by its PID) afterwards.
final class TestRegistry: @unchecked Sendable {
    enum Auth {
        case none
        case basic(user: String, password: String)
        case token(realm: String, certificate: String)
    }

    let directory: URL
    let port: Int
    let process: Process
    var host: String { "127.0.0.1:\(port)" }

    static func freePort() -> Int { LoopbackPort.free() }

    init(auth: Auth = .none) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mab-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        port = Self.freePort()
        var config = """
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: \(directory.path)/data
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)

            """
        switch auth {
        case .none: break
        case .basic(let user, let password):
            let htpasswd = directory.appendingPathComponent("htpasswd").path
            let r = try MabProcess.run(executable: "/usr/bin/htpasswd", ["-Bbc", htpasswd, user, password])
            guard r.status == 0 else { throw CocoaError(.fileWriteUnknown) }
            config += "auth:\n  htpasswd:\n    realm: mab-test\n    path: \(htpasswd)\n"
        case .token(let realm, let certificate):
            config += "auth:\n  token:\n    realm: \(realm)\n    service: mab-test-registry\n    issuer: mab-test-issuer\n    rootcertbundle: \(certificate)\n"
        }
        let configPath = directory.appendingPathComponent("config.yml")
        try config.write(to: configPath, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
        process.arguments = ["serve", configPath.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: { () -> URL in
            let log = directory.appendingPathComponent("registry.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            return log
        }())
        try process.run()
        if LoopbackPort.waitUntilListening(port) { return }
        stop()
        throw CocoaError(.fileReadUnknown)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
