import Foundation

/// Loopback ports for the test servers: a free one, and waiting until one listens.
enum LoopbackPort {
    static func free() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = address(0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func address(_ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return addr
    }

    /// Waits up to 5 s for something to accept connections on 127.0.0.1:`port`.
    static func waitUntilListening(_ port: Int) -> Bool {
        for _ in 0..<100 {
            var addr = address(port)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            close(fd)
            if ok == 0 { return true }
            usleep(50_000)
        }
        return false
    }

    /// `Fixtures/FIXTURE` run with python3 as a loopback server on `port`; returns once it
    /// listens, or stops it and throws.
    static func startPythonFixture(_ fixture: String, port: Int, _ arguments: [String]) throws -> Process {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + fixture).path
        let process = Process()
        // Debian's python3 itself: a version manager's shim (pyenv) runs it as a child of its
        // own, which stopping the shim by PID would leave running.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, String(port)] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if waitUntilListening(port) { return process }
        stop(process)
        throw CocoaError(.fileReadUnknown)
    }

    /// Ends a fixture process this test started, by its PID.
    static func stop(_ process: Process) {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
