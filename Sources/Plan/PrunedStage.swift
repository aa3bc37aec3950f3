/// A stage the target does not reach.
public struct PrunedStage: Sendable, Hashable, Encodable {
    public var stage: String
    public var index: Int
    public var line: Int
}
