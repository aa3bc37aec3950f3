/// Where `--output` sends an image: `type=oci-dir,dest=DIR`, `type=oci,dest=FILE.tar`,
/// `type=docker,dest=FILE.tar`, or `type=registry` (a push).
public enum ExportTarget: Sendable, Hashable, CustomStringConvertible {
    case ociDirectory(String)
    case ociArchive(String)
    case dockerArchive(String)
    case registry

    public init(parsing spec: String) throws {
        var fields: [String: String] = [:]
        for part in spec.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[1].isEmpty else {
                throw OCIError.unsupported("--output \(spec): expected KEY=VALUE pairs such as type=oci-dir,dest=out")
            }
            guard ["type", "dest"].contains(kv[0]) else {
                throw OCIError.unsupported("--output \(spec): unknown key \"\(kv[0])\" (use type and dest)")
            }
            fields[kv[0]] = kv[1]
        }
        let type = fields["type"] ?? "oci-dir"
        func dest() throws -> String {
            guard let d = fields["dest"] else { throw OCIError.unsupported("--output \(spec): type=\(type) needs dest=PATH") }
            return d
        }
        switch type {
        case "oci-dir", "oci-layout", "local-oci": self = .ociDirectory(try dest())
        case "oci": self = .ociArchive(try dest())
        case "docker", "docker-archive": self = .dockerArchive(try dest())
        case "registry", "image": self = .registry
        default:
            throw OCIError.unsupported("--output \(spec): unknown type \"\(type)\" (use oci-dir, oci, docker or registry)")
        }
    }

    public var description: String {
        switch self {
        case .ociDirectory(let d): return "type=oci-dir,dest=\(d)"
        case .ociArchive(let d): return "type=oci,dest=\(d)"
        case .dockerArchive(let d): return "type=docker,dest=\(d)"
        case .registry: return "type=registry"
        }
    }
}
