import Dispatch
import Foundation

/// Results of `parallelMap`, filled in from worker threads under a lock.
final class ParallelResults<R>: @unchecked Sendable {
    var values: [R?]
    var error: (any Error)?
    let lock = NSLock()
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
}

/// Runs `body` over `items` with at most `width` at a time; results keep the input order.
/// The first error is rethrown after the others finish.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ width: Int, _ body: @escaping @Sendable (T) throws -> R) throws -> [R] {
    let results = ParallelResults<R>(items.count)
    let semaphore = DispatchSemaphore(value: max(1, width))
    let group = DispatchGroup()
    for (i, item) in items.enumerated() {
        semaphore.wait()
        results.lock.lock()
        let failed = results.error != nil
        results.lock.unlock()
        if failed {
            semaphore.signal()
            break
        }
        group.enter()
        DispatchQueue.global().async {
            defer {
                semaphore.signal()
                group.leave()
            }
            do {
                let r = try body(item)
                results.lock.lock()
                results.values[i] = r
                results.lock.unlock()
            } catch {
                results.lock.lock()
                if results.error == nil { results.error = error }
                results.lock.unlock()
            }
        }
    }
    group.wait()
    if let error = results.error { throw error }
    return results.values.map { $0! }
}
