import OCI

/// How a build step's layer came about: its build-cache key and whether the cache held it.
public struct LayerProvenance: Sendable, Hashable {
    public var cacheKey: Digest
    public var cached: Bool

    public init(cacheKey: Digest, cached: Bool) {
        self.cacheKey = cacheKey
        self.cached = cached
    }
}
