/// The outcome of expanding one word: the joined result, the split words, and which
/// variable names the word referred to (found or not), for build-arg bookkeeping.
public struct ExpansionResult: Sendable, Equatable {
    public var result: String
    public var words: [String]
    public var matched: Set<String>
    public var unmatched: Set<String>
}
