/// Why `mab repro` could not compare its builds.
enum ReproError: Error, Sendable, CustomStringConvertible {
    /// A build exited non-zero (its own messages came before).
    case buildFailed(run: Int, label: String, status: Int32)
    /// The build was interrupted (Ctrl-C, SIGTERM).
    case interrupted(run: Int)
    /// A build succeeded but left no report to read its image from.
    case noReport(run: Int, path: String, detail: String)

    var description: String {
        switch self {
        case .buildFailed(let run, let label, let status):
            return "run \(run) (\(label)) failed with exit status \(status); its messages are above"
        case .interrupted(let run): return "interrupted during run \(run)"
        case .noReport(let run, let path, let detail): return "run \(run) wrote no readable report at \(path): \(detail)"
        }
    }
}
