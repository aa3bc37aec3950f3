/// The top of a context walk, scanned serially before the subtrees are shared out.
final class WalkNode {
    let entry: ContextHasher.Entry
    var kids: [WalkNode] = []
    var scanned = false
    /// The subtree walked on a worker thread: its entries and the node's direct children.
    var subtree: ([ContextHasher.Entry], [Int])?

    init(entry: ContextHasher.Entry) { self.entry = entry }
}
