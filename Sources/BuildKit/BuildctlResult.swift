import OCI

/// What one node's `buildctl build` gave: the OCI layout's index (its blobs are in the
/// store), the metadata file, and what its progress said.
public struct BuildctlResult: Sendable {
    public var assignment: NodeAssignment
    public var index: ImageIndex
    /// `--metadata-file`'s `containerimage.digest`.
    public var imageDigest: String?
    public var cachedSteps: Int
    public var executedSteps: Int
    public var warnings: [String]
}
