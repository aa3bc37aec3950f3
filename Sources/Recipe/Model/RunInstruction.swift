/// RUN: the command and how its sandbox is set up.
public struct RunInstruction: Sendable, Hashable, Encodable {
    public enum Network: String, Sendable, Hashable, Encodable, CaseIterable {
        case `default`, none, host
    }

    public enum Security: String, Sendable, Hashable, Encodable, CaseIterable {
        case sandbox, insecure
    }

    public var command: CommandSpec
    public var mounts: [MountSpec]
    public var network: Network?
    public var security: Security?

    public init(command: CommandSpec, mounts: [MountSpec] = [], network: Network? = nil, security: Security? = nil) {
        self.command = command
        self.mounts = mounts
        self.network = network
        self.security = security
    }
}
