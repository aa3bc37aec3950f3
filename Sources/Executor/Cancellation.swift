import Foundation

/// A build's stop switch: `cancel()` (from a signal handler's queue) stops what is running
/// — each registered sandbox is terminated — and the builder stops before its next step,
/// unwinding so that every mount is undone and only whole blobs and records stay.
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var handlers: [Int: @Sendable () -> Void] = [:]
    private var nextID = 0

    public init() {}

    public var isCancelled: Bool { lock.withLock { cancelled } }

    public func cancel() {
        let running = lock.withLock { () -> [@Sendable () -> Void] in
            cancelled = true
            return Array(handlers.values)
        }
        for stop in running { stop() }
    }

    /// Runs `body` with `stop` registered; `stop` runs at once if already cancelled.
    func whileRunning<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        let (id, already) = lock.withLock { () -> (Int, Bool) in
            nextID += 1
            handlers[nextID] = stop
            return (nextID, cancelled)
        }
        defer { _ = lock.withLock { handlers.removeValue(forKey: id) } }
        if already { stop() }
        return try body()
    }

    /// Throws `ExecutorError.interrupted` once cancelled.
    public func check() throws {
        if isCancelled { throw ExecutorError.interrupted }
    }
}
