import OCI

/// One buildkitd of a builder: its name, address, TLS files and the platforms it was
/// declared for (`--platform`; empty: the ones its workers report).
public struct BuilderNode: Sendable, Hashable, Codable {
    public var name: String
    public var address: BuilderAddress
    public var platforms: [Platform]
    public var tls: TLSFiles?

    public init(name: String, address: BuilderAddress, platforms: [Platform] = [], tls: TLSFiles? = nil) {
        self.name = name
        self.address = address
        self.platforms = platforms
        self.tls = tls?.isEmpty == true ? nil : tls
    }

    /// buildctl's connection flags for the node.
    public var connectionArguments: [String] { ["--addr", address.description] + (tls?.arguments ?? []) }
}
