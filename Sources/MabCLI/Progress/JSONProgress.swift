import Executor
import Foundation
import Plan

/// `--progress json`: one JSON object per line on standard error, in the order things
/// happen. The schema is documented in docs/progress.md; every object has `type` and
/// `time` (RFC 3339, UTC, milliseconds).
final class JSONProgress: ProgressDisplay, @unchecked Sendable {
    /// One line of the stream. Fields that do not apply to a type are left out.
    struct Record: Encodable {
        var type: String
        var time: String
        var vertex: String?
        var stage: String?
        var platform: String?
        var step: Int?
        var steps: Int?
        var instruction: String?
        var status: String?
        var elapsed: Double?
        var line: String?
        var message: String?
        var result: BuildSummary?
        var cacheMiss: String?
    }

    private let lock = NSLock()
    private var starts: [String: Date] = [:]
    private let encoder: JSONEncoder
    private let write: (String) -> Void

    init(write: @escaping (String) -> Void = { Terminal.error($0, newline: false) }) {
        self.write = write
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    private func emit(_ record: Record) {
        guard let data = try? encoder.encode(record) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(ms % 1000))
    }

    func event(_ e: BuildEvent) {
        lock.withLock {
            let key = e.stepID
            if starts[key] == nil { starts[key] = e.time }
            var r = Record(
                type: "step", time: Self.timestamp(e.time), vertex: e.vertex, stage: e.stage, platform: e.platform.description,
                step: e.step, steps: e.steps, instruction: e.instruction)
            let elapsed = (e.time.timeIntervalSince(starts[key] ?? e.time) * 1000).rounded() / 1000
            switch e.status {
            case .started: r.status = "started"; r.cacheMiss = e.missReason
            case .cached: r.status = "cached"
            case .output(let line):
                r.type = "log"
                r.instruction = nil
                r.line = line
            case .done: r.status = "done"; r.elapsed = elapsed
            case .failed(let error): r.status = "failed"; r.elapsed = elapsed; r.message = error
            case .canceled: r.status = "canceled"; r.elapsed = elapsed
            }
            emit(r)
        }
    }

    func message(_ text: String) {
        lock.withLock { emit(Record(type: "message", time: Self.timestamp(Date()), message: text)) }
    }

    func finished(_ summary: BuildSummary) {
        lock.withLock { emit(Record(type: "result", time: Self.timestamp(Date()), result: summary)) }
    }

    func failed(_ error: any Error) {
        lock.withLock { emit(Record(type: "error", time: Self.timestamp(Date()), message: String(describing: error))) }
    }

    func stop() {}
}
