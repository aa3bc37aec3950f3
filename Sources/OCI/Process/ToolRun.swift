import Foundation

/// Runs a program to ask it something: its status and output, killed after a time limit so
/// that a hanging emulator or daemon cannot hang the asker (the doctor's checks, buildctl's
/// probes).
public struct ToolRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut = false

    /// How long a check's program may run before it is killed as hung: long enough for a
    /// machine busy with builds (CI runs the doctor beside them), short for a real hang.
    public static let defaultTimeout: TimeInterval = 15

    public static func run(_ path: String, _ arguments: [String], timeout: TimeInterval = defaultTimeout) -> ToolRun? {
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let deadline = DispatchTime.now() + timeout
        let done = DispatchSemaphore(value: 0)
        let outData = LockedData(), errData = LockedData()
        DispatchQueue.global().async { outData.set(out.fileHandleForReading.readDataToEndOfFile()); done.signal() }
        DispatchQueue.global().async { errData.set(err.fileHandleForReading.readDataToEndOfFile()); done.signal() }
        var timedOut = false
        for _ in 0..<2 where done.wait(timeout: deadline) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        if timedOut { _ = done.wait(timeout: .now() + 1) }
        return ToolRun(
            status: process.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self), timedOut: timedOut)
    }

    /// The first executable named `name` on PATH (or the usual system directories).
    public static func which(_ name: String, environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }
}
