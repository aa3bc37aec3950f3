import OCI
import Recipe

/// What the user asked for: the recipe, its context, platforms, target, args, contexts.
public struct BuildRequest: Sendable {
    public var recipe: Recipe
    /// The context directory (COPY/ADD sources), or nil when the recipe reads none.
    public var contextDirectory: String?
    public var platforms: [Platform]
    public var target: String?
    public var buildArgs: [String: String]
    public var buildContexts: [String: BuildContextSource]
    /// The platform mab runs on (the BUILDPLATFORM).
    public var buildPlatform: Platform
    /// `.dockerignore` patterns that apply to the context.
    public var ignore: IgnoreMatcher?
    /// Persisted file digests for the context (speeds up re-planning).
    public var hashCache: HashCache?
    /// Whether cache keys include what the context's files hold (true: every COPY/ADD
    /// source and bind mount is resolved and hashed, and a missing one is an error here).
    /// False for a plan that only schedules another builder (BuildKit keys its own cache and
    /// reads the context itself): sources are keyed by their names and the context is not read.
    public var contentKeys = true
    /// The digest an image reference resolves to for a platform, when known locally (for
    /// example from mab's store after a pull); nil leaves the key on the reference.
    public var resolveImage: (@Sendable (String, Platform) -> String?)?
    /// The container config of a base image for a platform, when it is known locally: its
    /// ONBUILD triggers run right after the FROM that names it, as Docker runs them, and its
    /// `Env` is what `$VAR` in the stage expands to before the stage's own ENV.
    public var baseImageConfig: (@Sendable (String, Platform) -> ContainerConfig?)?

    public init(
        recipe: Recipe, contextDirectory: String?, platforms: [Platform], target: String? = nil,
        buildArgs: [String: String] = [:], buildContexts: [String: BuildContextSource] = [:],
        buildPlatform: Platform = .host, ignore: IgnoreMatcher? = nil, hashCache: HashCache? = nil
    ) {
        self.recipe = recipe
        self.contextDirectory = contextDirectory
        self.platforms = platforms
        self.target = target
        self.buildArgs = buildArgs
        self.buildContexts = buildContexts
        self.buildPlatform = buildPlatform
        self.ignore = ignore
        self.hashCache = hashCache
    }
}
