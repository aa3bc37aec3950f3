/// What a backend needs of a build's stop switch (the executor's `Cancellation`): whether
/// the build was stopped, and a way to have running work stopped when it is.
public protocol StopSwitch: AnyObject, Sendable {
    var isCancelled: Bool { get }
    /// Runs `body` with `stop` registered; `stop` runs at once if already stopped.
    func whileRunning<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T
}
