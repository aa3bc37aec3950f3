import Foundation

/// The registry behind a stop switch: once stopped, every registered handler runs (and
/// any registered later runs at once).
public final class StopHandlers: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0

    public init() {}

    public var isStopped: Bool { lock.withLock { stopped } }

    public func stop() {
        let running = lock.withLock { () -> [@Sendable () -> Void] in
            stopped = true
            return Array(handlers.values)
        }
        for h in running { h() }
    }

    /// Runs `body` with `stop` registered; `stop` runs at once if already stopped.
    public func whileRunning<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        let (id, already) = lock.withLock { () -> (Int, Bool) in
            nextID += 1
            handlers[nextID] = stop
            return (nextID, stopped)
        }
        defer { _ = lock.withLock { handlers.removeValue(forKey: id) } }
        if already { stop() }
        return try body()
    }
}
