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
    /// Where the instruction starts on its line (1 unless indented).
    public var column = 1
    /// The ARGs in scope after the step, `NAME=value` in the order they were declared (with
    /// the value a RUN sees): BuildKit writes them into a RUN's history as `|N …`.
    public var argsInScope: [String] = []
    /// What the cache key was made of, field by field (`parent`, `instruction`, `platform`,
    /// `args`, `inputs`; a FROM's `image`, `scratch` or `context`): what `mab cache explain`
    /// compares with an earlier build's.
    public var keyParts: [String: [String]] = [:]

    enum CodingKeys: String, CodingKey { case instruction, cacheKey, inputs, line, action }
}
