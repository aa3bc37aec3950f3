import Executor
import Foundation
import Plan

/// `--progress plain`: ordered lines like BuildKit's plain output. Every step gets a
/// number `#N` when it first appears; its lines carry that number, so the steps of
/// concurrent stages can interleave and still be read apart:
///
///     #3 [gen linux/arm64 2/3] RUN uname -m > arch
///     #3 0.412 aarch64
///     #3 DONE 0.5s
final class PlainProgress: ProgressDisplay, @unchecked Sendable {
    private let lock = NSLock()
    private var numbers: [String: Int] = [:]
    private var starts: [String: Date] = [:]
    private let write: (String) -> Void

    init(write: @escaping (String) -> Void = { Terminal.error($0, newline: false) }) {
        self.write = write
    }

    func event(_ e: BuildEvent) {
        lock.withLock {
            let key = e.stepID
            var text = ""
            let n: Int
            if let known = numbers[key] {
                n = known
            } else {
                n = numbers.count + 1
                numbers[key] = n
                starts[key] = e.time
                text += "#\(n) \(e.label) \(e.instruction)\n"
            }
            let elapsed = e.time.timeIntervalSince(starts[key] ?? e.time)
            switch e.status {
            case .started: if let reason = e.missReason { text += "#\(n) cache miss: \(reason)\n" }
            case .cached: text += "#\(n) CACHED\n"
            case .output(let line): text += "#\(n) \(String(format: "%.3f", elapsed)) \(line)\n"
            case .done: text += "#\(n) DONE \(String(format: "%.1f", elapsed))s\n"
            case .failed(let error): text += "#\(n) ERROR: \(error.split(separator: "\n").first ?? "")\n"
            case .canceled: text += "#\(n) CANCELED\n"
            }
            write(text)
        }
    }

    func message(_ text: String) {
        lock.withLock { write("mab: \(text)\n") }
    }

    func finished(_ summary: BuildSummary) {
        message(summary.line)
    }

    func failed(_ error: any Error) {}

    func stop() {}
}
