import Foundation
import Plan

/// A build's stop switch: `cancel()` (from a signal handler's queue) stops what is running
/// — each registered sandbox is terminated — and the builder stops before its next step,
/// unwinding so that every mount is undone and only whole blobs and records stay.
public final class Cancellation: StopSwitch, @unchecked Sendable {
    private let handlers = StopHandlers()

    public init() {}

    public var isCancelled: Bool { handlers.isStopped }

    public func cancel() { handlers.stop() }

    /// Runs `body` with `stop` registered; `stop` runs at once if already cancelled.
    public func whileRunning<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        try handlers.whileRunning(stop: stop, body)
    }

    /// Throws `ExecutorError.interrupted` once cancelled.
    public func check() throws {
        if isCancelled { throw ExecutorError.interrupted }
    }
}
