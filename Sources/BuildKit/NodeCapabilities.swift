import OCI

/// What a node said about itself (`buildctl debug workers`): the platforms
/// its workers build, the native one first, and its BuildKit version.
public struct NodeCapabilities: Sendable, Hashable {
    public var node: BuilderNode
    public var reported: [Platform]
    public var version: String?

    public init(node: BuilderNode, reported: [Platform], version: String? = nil) {
        self.node = node
        self.reported = reported
        self.version = version
    }

    /// The platforms it builds without emulation: those declared for it, else the first
    /// its workers report (BuildKit lists the host's platform first).
    public var native: [Platform] { node.platforms.isEmpty ? Array(reported.prefix(1)) : node.platforms }

    /// Whether it can build `p` at all (natively or under emulation).
    public func builds(_ p: Platform) -> Bool { (native + reported).contains { Self.same($0, p) } }

    public func buildsNatively(_ p: Platform) -> Bool { native.contains { Self.same($0, p) } }

    /// The same OS and architecture, and the variant when the wanted platform names one.
    static func same(_ have: Platform, _ want: Platform) -> Bool {
        have.os == want.os && have.architecture == want.architecture && (want.variant == nil || have.variant == want.variant)
    }
}
