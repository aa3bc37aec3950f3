import Foundation

/// `Fixtures/fault_proxy.py` on loopback in front of a test registry (stopped by PID).
final class TestFaultProxy: @unchecked Sendable {
    let port: Int
    let process: Process
    var host: String { "127.0.0.1:\(port)" }

    init(upstream: TestRegistry, mode: String, count: Int) throws {
        port = TestRegistry.freePort()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fault_proxy.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, String(port), String(upstream.port), mode, String(count)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if LoopbackPort.waitUntilListening(port) { return }
        stop()
        throw CocoaError(.fileReadUnknown)
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
