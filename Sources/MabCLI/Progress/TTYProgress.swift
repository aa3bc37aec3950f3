import Executor
import Foundation
import Plan

/// `--progress tty`: a live display in the manner of BuildKit's. Under a header with the
/// elapsed time and the steps done of the total, each running step has a line with its
/// platform and elapsed time, followed by the last lines of its output; a step that ends
/// collapses into one permanent line above the live area. Redrawn ten times a second
/// from its own thread; lines are cut to the terminal's width so that they never wrap.
final class TTYProgress: ProgressDisplay, @unchecked Sendable {
    private struct Row {
        var title: String
        var start: Date
        var tail: [String] = []
        /// Why the cache missed it, printed under the step when it ends.
        var missReason: String?
    }

    /// Output lines shown under a running step.
    static let tailLines = 6

    private let lock = NSLock()
    private let totalSteps: Int
    private let start = Date()
    private var order: [String] = []
    private var rows: [String: Row] = [:]
    private var completed = 0
    private var liveLines = 0
    private var stopped = false
    private var ticker: Thread?
    private let write: (String) -> Void
    private let columns: () -> Int

    init(totalSteps: Int, write: @escaping (String) -> Void = { Terminal.error($0, newline: false) }, columns: @escaping () -> Int = TTYProgress.terminalColumns) {
        self.totalSteps = totalSteps
        self.write = write
        self.columns = columns
        let thread = Thread { [weak self] in
            while let display = self, display.tick() {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        ticker = thread
        thread.start()
    }

    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// One redraw; false once stopped.
    private func tick() -> Bool {
        lock.withLock {
            guard !stopped else { return false }
            write(clearLive() + live())
            return true
        }
    }

    private static func seconds(_ interval: TimeInterval) -> String { String(format: "%.1fs", max(0, interval)) }

    /// `text` cut to the terminal's width, with `right` aligned at the right edge.
    private func fit(_ text: String, right: String = "") -> String {
        let width = max(20, columns() - 1)
        let room = width - right.count - (right.isEmpty ? 0 : 1)
        var left = String(text.map { $0 == "\t" ? " " : $0 }.filter { !$0.isNewline && $0.asciiValue.map { $0 >= 0x20 && $0 != 0x7F } ?? true })
        if left.count > room { left = String(left.prefix(max(0, room - 1))) + "…" }
        guard !right.isEmpty else { return left }
        return left + String(repeating: " ", count: max(1, width - left.count - right.count)) + right
    }

    private func header(_ state: String = "") -> String {
        fit("[+] Building \(Self.seconds(Date().timeIntervalSince(start))) (\(completed)/\(totalSteps))" + (state.isEmpty ? "" : " " + state)) + "\n"
    }

    /// Moves back over the live area and clears it.
    private func clearLive() -> String {
        defer { liveLines = 0 }
        return liveLines > 0 ? "\r\u{1B}[\(liveLines)A\u{1B}[J" : ""
    }

    private func live() -> String {
        var lines = [header()]
        let now = Date()
        for key in order {
            guard let row = rows[key] else { continue }
            lines.append(fit(" => " + row.title, right: Self.seconds(now.timeIntervalSince(row.start))) + "\n")
            for t in row.tail { lines.append(fit(" => => # " + t) + "\n") }
        }
        liveLines = lines.count
        return lines.joined()
    }

    func event(_ e: BuildEvent) {
        lock.withLock {
            guard !stopped else { return }
            let key = e.stepID
            let title = "\(e.label) \(e.instruction)"
            var ended: String?
            switch e.status {
            case .started:
                if rows[key] == nil { order.append(key) }
                rows[key] = Row(title: title, start: e.time, missReason: e.missReason)
            case .output(let line):
                guard var row = rows[key] else { return }
                row.tail.append(line)
                if row.tail.count > Self.tailLines { row.tail.removeFirst(row.tail.count - Self.tailLines) }
                rows[key] = row
                return
            case .cached: ended = fit(" => CACHED " + title, right: Self.seconds(0))
            case .done: ended = fit(" => " + title, right: Self.seconds(e.time.timeIntervalSince(rows[key]?.start ?? e.time)))
            case .failed: ended = fit(" => ERROR " + title, right: Self.seconds(e.time.timeIntervalSince(rows[key]?.start ?? e.time)))
            case .canceled: ended = fit(" => CANCELED " + title, right: Self.seconds(e.time.timeIntervalSince(rows[key]?.start ?? e.time)))
            }
            guard let ended else { return }
            completed += 1
            var text = clearLive() + ended + "\n"
            if let reason = rows[key]?.missReason { text += fit(" => => cache miss: " + reason) + "\n" }
            if case .failed = e.status, let row = rows[key] {
                for t in row.tail { text += fit(" => => # " + t) + "\n" }
            }
            rows[key] = nil
            order.removeAll { $0 == key }
            write(text + live())
        }
    }

    func message(_ text: String) {
        lock.withLock {
            guard !stopped else { return write("mab: \(text)\n") }
            write(clearLive() + fit("mab: \(text)") + "\n" + live())
        }
    }

    private func end(_ state: String) {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            write(clearLive() + header(state))
        }
    }

    func finished(_ summary: BuildSummary) {
        end("FINISHED")
        message(summary.line)
    }

    func failed(_ error: any Error) {
        if case ExecutorError.interrupted = error { end("CANCELED") } else { end("FAILED") }
    }

    func stop() {
        end("")
    }
}
