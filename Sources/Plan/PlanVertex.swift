import OCI

/// One stage built for one platform.
public struct PlanVertex: Sendable, Hashable, Encodable {
    /// `STAGE@PLATFORM`, unique in the plan.
    public var id: String
    public var stage: String
    public var stageIndex: Int
    public var platform: Platform
    /// Runs on the build platform's CPU (false: under qemu emulation).
    public var native: Bool
    /// The target platforms this vertex serves (several for shared build-platform stages).
    public var targets: [Platform]
    public var base: StageBase
    public var dependsOn: [String]
    public var steps: [PlanStep]
    /// The key of the last step: what the stage's result is known by.
    public var cacheKey: String
}
