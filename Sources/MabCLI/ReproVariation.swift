import Foundation

/// What `mab repro --vary` perturbs in every run after the first, the way reprotest does:
/// things that must not change the image.
enum ReproVariation: String, CaseIterable, Sendable, Codable {
    /// The context copied to another directory.
    case contextPath = "context-path"
    /// Every file and directory of the copied context with its mtime an hour earlier.
    case mtimes
    /// The build runs under umask 077 instead of the caller's.
    case umask
    /// The run starts in a later second than the one before ended: a build that writes
    /// the clock (to the second or coarser) into a file shows up.
    case time
    /// The copied context's entries created in reverse name order.
    case order
    /// The build confined to one CPU, one step at a time.
    case parallelism

    /// Whether the variation reaches a build on `backend`: BuildKit's daemon has its own
    /// umask and its own workers.
    func applies(to backend: BackendChoice) -> Bool {
        switch self {
        case .umask, .parallelism: return backend == .native
        case .contextPath, .mtimes, .time, .order: return true
        }
    }

    /// `--vary`'s value: a comma-separated list, `all` or `none`.
    static func parse(_ text: String) throws -> [ReproVariation] {
        switch text {
        case "all": return allCases
        case "none", "": return []
        default:
            var out: [ReproVariation] = []
            for name in text.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
                guard let v = ReproVariation(rawValue: name) else {
                    throw CLIError.usage("--vary \(name): unknown variation (use \(allCases.map(\.rawValue).joined(separator: ", ")), all or none)")
                }
                if !out.contains(v) { out.append(v) }
            }
            return out
        }
    }
}
