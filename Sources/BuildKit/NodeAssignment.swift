import OCI

/// The platforms one node builds in one `buildctl build` call.
public struct NodeAssignment: Sendable, Hashable {
    public var node: BuilderNode
    public var platforms: [Platform]
    /// Of `platforms`, those it builds under emulation.
    public var emulated: [Platform]
    public var version: String?
}
