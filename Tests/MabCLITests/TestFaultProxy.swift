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
        for _ in 0..<100 {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            close(fd)
            if ok == 0 { return }
            usleep(50_000)
        }
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
