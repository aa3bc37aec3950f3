import Foundation

/// `Fixtures/fault_proxy.py` on loopback in front of a test registry (stopped by PID).
final class TestFaultProxy: @unchecked Sendable {
    let port: Int
    let process: Process
    var host: String { "127.0.0.1:\(port)" }

    init(upstream: TestRegistry, mode: String, count: Int) throws {
        port = TestRegistry.freePort()
        process = try LoopbackPort.startPythonFixture("fault_proxy.py", port: port, [String(upstream.port), mode, String(count)])
    }

    func stop() { LoopbackPort.stop(process) }

    deinit { stop() }
}
