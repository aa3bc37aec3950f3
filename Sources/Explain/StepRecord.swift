import Executor
import OCI
import Plan

/// One step of a recorded build: where it is, its key and what made the key, and how it
/// used the cache (nil for steps that make no layer).
public struct StepRecord: Sendable, Hashable, Codable {
    /// `VERTEX#N` (`BuildEvent.stepID`).
    public var id: String
    public var line: Int
    public var instruction: String
    public var key: String
    public var parts: [String: [String]]
    public var layer: StepCacheUse?

    public init(id: String, step: PlanStep, layer: StepCacheUse?) {
        self.id = id
        line = step.line
        instruction = step.instruction
        key = step.cacheKey
        parts = step.keyParts
        self.layer = layer
    }
}
