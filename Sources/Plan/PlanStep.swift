import Recipe

/// One step of a vertex: the instruction as it will run (expanded), its cache key and inputs.
public struct PlanStep: Sendable, Hashable, Encodable {
    public var instruction: String
    public var cacheKey: String
    /// What the step reads: `context:PATH@sha256:…`, `stage:NAME`, `image:REF`.
    public var inputs: [String]
    public var line: Int
    /// The step with its words expanded, for the executor.
    public var action: StepAction
}
