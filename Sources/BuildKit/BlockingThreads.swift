import Foundation

/// Work that blocks on pipes and processes, each on a thread of its own: Dispatch's pool
/// (one thread per core) would be held by the waiting and starve the readers a buildctl
/// needs, and it grows only after a delay.
enum BlockingThreads {
    /// Runs `body(i)` for every i in 0..<count at once, and returns when all have.
    static func concurrent(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchGroup()
        for i in 0..<count {
            done.enter()
            Thread.detachNewThread {
                body(i)
                done.leave()
            }
        }
        done.wait()
    }

    /// Starts `body` on a thread of its own; `group` is left when it returns.
    static func start(in group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        Thread.detachNewThread {
            body()
            group.leave()
        }
    }
}
