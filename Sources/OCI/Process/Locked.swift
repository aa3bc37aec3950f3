import Foundation

/// A value shared between threads (the readers of one buildctl's pipes, the two sides of
/// an image comparison), behind a lock.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    public func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}
