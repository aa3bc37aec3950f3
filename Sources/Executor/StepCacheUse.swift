import OCI

/// How one step of a build used the build cache: the record key it looked up and what
/// that key was made of beyond the plan's step key (the layers below, the chains of the
/// stages or downloads it copied from). With these, `mab cache explain` can tell whether
/// a later plan's step would be found without building anything.
public struct StepCacheUse: Sendable, Hashable, Codable {
    public var recordKey: Digest
    public var below: [Digest]
    public var sources: [[Digest]]
    /// Found in the cache (else it ran).
    public var cached: Bool

    public init(recordKey: Digest, below: [Digest], sources: [[Digest]], cached: Bool) {
        self.recordKey = recordKey
        self.below = below
        self.sources = sources
        self.cached = cached
    }
}
