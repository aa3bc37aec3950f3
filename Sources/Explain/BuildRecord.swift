import Executor
import OCI
import Plan

/// What one native build of a recipe keyed and found, step by step: kept in the store
/// (`BuildRecordStore`) so that the next build and `mab cache explain` can say why a step
/// misses.
public struct BuildRecord: Sendable, Hashable, Codable {
    public var schemaVersion = 1
    public var recipe: String
    public var target: String
    public var platforms: [String]
    /// `ImageBuilder.layerFormat`: compression and SOURCE_DATE_EPOCH.
    public var layerFormat: String
    /// When the build finished (RFC 3339).
    public var finished: String
    public var steps: [StepRecord]

    public init(plan: BuildPlan, layerFormat: String, finished: String, cache: [String: StepCacheUse]) {
        recipe = plan.recipe
        target = plan.target
        platforms = plan.platforms.map(\.description)
        self.layerFormat = layerFormat
        self.finished = finished
        steps = plan.vertices.flatMap { v in
            v.steps.enumerated().map { i, step in
                let id = "\(v.id)#\(i + 1)"
                return StepRecord(id: id, step: step, layer: cache[id])
            }
        }
    }
}
