import Foundation

/// Per-subtree results of the parallel context walk, filled in from worker threads.
final class SubtreeResults: @unchecked Sendable {
    private var lists: [[ContextHasher.Entry]]
    private var children: [[Int]]
    private var errors: [(Int, any Error)] = []
    private let lock = NSLock()

    init(count: Int) {
        lists = Array(repeating: [], count: count)
        children = Array(repeating: [], count: count)
    }

    func set(_ i: Int, _ list: [ContextHasher.Entry], _ kids: [Int]) {
        lock.lock()
        lists[i] = list
        children[i] = kids
        lock.unlock()
    }

    func fail(_ i: Int, _ error: any Error) {
        lock.lock()
        errors.append((i, error))
        lock.unlock()
    }

    /// The error of the first subtree in walk order, if any failed.
    var firstError: (any Error)? { errors.min { $0.0 < $1.0 }?.1 }

    func result(_ i: Int) -> ([ContextHasher.Entry], [Int]) { (lists[i], children[i]) }
}
