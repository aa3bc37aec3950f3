import OCI
import Recipe

/// The plan both backends execute: vertices in execution order, per target platform the
/// vertex that makes its image, what was pruned, and warnings.
public struct BuildPlan: Sendable, Encodable {
    public var recipe: String
    public var target: String
    public var buildPlatform: Platform
    public var platforms: [Platform]
    /// Target platform → id of the vertex producing its image.
    public var outputs: [String: String]
    public var vertices: [PlanVertex]
    public var pruned: [PrunedStage]
    public var warnings: [RecipeWarning]
    /// The context's `.dockerignore`, which the executor applies when it copies from the
    /// context (not part of the plan's printed form).
    public var contextIgnore: IgnoreMatcher? = nil
    /// The `.dockerignore` of each named directory context that has one, by name.
    public var namedContextIgnores: [String: IgnoreMatcher] = [:]
    /// Named build contexts that are directories, by name: `FROM NAME` starts from one.
    public var contextDirectories: [String: String] = [:]
    /// The context entries (path → digest, a directory as `dir MODE`) behind a step's
    /// hashed context input (`context:PATH@DIGEST`, …), read on demand: what explains a
    /// changed directory by the file in it that changed. Nil for plans without content keys.
    public var contextEntries: (@Sendable (String) -> [String: String]?)? = nil

    /// The `.dockerignore` that applies to what a step reads from `source`.
    public func ignore(for source: CopyAction.Source) -> IgnoreMatcher? {
        switch source {
        case .context: return contextIgnore
        case .namedContext(let name, _): return namedContextIgnores[name]
        case .stage, .image: return nil
        }
    }

    private enum CodingKeys: String, CodingKey {
        case recipe, target, buildPlatform, platforms, outputs, vertices, pruned, warnings
    }
}
