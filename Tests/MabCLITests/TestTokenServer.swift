import Foundation

/// The token server of a token-auth registry: `Fixtures/token_server.py` on loopback with
/// a fresh self-signed RSA key (made with openssl), stopped by its PID.
final class TestTokenServer: @unchecked Sendable {
    let directory: URL
    let port: Int
    let process: Process
    var realm: String { "http://127.0.0.1:\(port)/token" }
    var certificate: String { directory.appendingPathComponent("cert.pem").path }

    init(user: String, password: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mab-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem").path
        let gen = try MabProcess.run(executable: "/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", directory.appendingPathComponent("cert.pem").path,
            "-days", "2", "-subj", "/CN=mab-test-token",
        ])
        guard gen.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        port = TestRegistry.freePort()
        do {
            process = try LoopbackPort.startPythonFixture(
                "token_server.py", port: port, [key, directory.appendingPathComponent("cert.pem").path, user, password, "mab-test-issuer"])
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    func stop() {
        LoopbackPort.stop(process)
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
