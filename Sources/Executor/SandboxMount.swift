/// A mount inside a sandbox besides its root, `/proc`, `/dev` and `/tmp`: a host path
/// bound at a target, or a fresh tmpfs.
public enum SandboxMount: Sendable, Hashable {
    case bind(source: String, target: String, readOnly: Bool)
    case tmpfs(target: String, size: Int64?)

    public var target: String {
        switch self {
        case .bind(_, let target, _), .tmpfs(let target, _): return target
        }
    }

    /// The bwrap arguments that make the mount.
    var arguments: [String] {
        switch self {
        case .bind(let source, let target, let readOnly): return [readOnly ? "--ro-bind" : "--bind", source, target]
        case .tmpfs(let target, let size): return (size.map { ["--size", String($0)] } ?? []) + ["--tmpfs", target]
        }
    }
}
