/// Why a builder, a node or a buildctl run cannot be used, with what to do about it.
public enum BuilderError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidAddress(String, reason: String)
    case invalidName(String)
    case tlsFile(flag: String, path: String, reason: String)
    case tlsIncomplete(String)
    case noSuchBuilder(String, known: [String])
    case builderExists(String)
    case duplicateNode(builder: String, node: String)
    case config(path: String, detail: String)
    case noBuilder
    case buildctlMissing
    case unreachable(node: String, address: String, detail: String)
    case tlsRejected(node: String, address: String, detail: String)
    case cannotBuild(platform: String, nodes: [String])

    public var description: String {
        switch self {
        case .invalidAddress(let text, let reason):
            return "builder address \"\(text)\": \(reason) (use unix:///PATH or tcp://HOST:PORT)"
        case .invalidName(let name):
            return "builder name \"\(name)\": use letters, digits, '-', '_' and '.', starting with a letter or digit"
        case .tlsFile(let flag, let path, let reason):
            return "\(flag) \(path): \(reason)"
        case .tlsIncomplete(let detail):
            return "TLS: \(detail)"
        case .noSuchBuilder(let name, let known):
            return "no builder named \"\(name)\"" + (known.isEmpty ? " (there are none: mab builder create NAME ADDRESS)" : " (builders: \(known.joined(separator: ", ")))")
        case .builderExists(let name):
            return "a builder named \"\(name)\" exists: add a node to it with --append, or remove it first (mab builder rm \(name))"
        case .duplicateNode(let builder, let node):
            return "builder \"\(builder)\" already has a node named \"\(node)\": choose another --node name"
        case .config(let path, let detail):
            return "\(path): \(detail)"
        case .noBuilder:
            return "--backend buildkit needs a builder: mab build --builder unix:///run/buildkit/buildkitd.sock (or PLATFORM=ADDRESS), BUILDKIT_HOST, or a stored one (mab builder create NAME ADDRESS; mab builder use NAME)"
        case .buildctlMissing:
            return "buildctl is not installed or not on PATH: install BuildKit's client (buildctl) from its release, or set MAB_BUILDCTL to its path"
        case .unreachable(let node, let address, let detail):
            return "node \(node) (\(address)) does not answer: \(detail); is buildkitd running there? (mab builder inspect shows every node)"
        case .tlsRejected(let node, let address, let detail):
            return "node \(node) (\(address)) refused the TLS connection: \(detail); it likely wants a client certificate its CA signed: give --tlscacert, --tlscert and --tlskey (mab builder create … --append)"
        case .cannotBuild(let platform, let nodes):
            return "no node can build \(platform): nodes \(nodes.joined(separator: ", ")) neither build it natively nor emulate it (declare it with mab builder create --platform, or register qemu on a node)"
        }
    }
}
