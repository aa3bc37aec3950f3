import ArgumentParser
import Foundation

/// `--progress`: how `mab build` shows its work on standard error.
public enum ProgressMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// tty when standard error is a terminal (and TERM is not `dumb`), else plain.
    case auto
    /// A live display: one line per running step with its elapsed time and output tail.
    case tty
    /// Ordered lines, each prefixed with its step's `#N`.
    case plain
    /// One JSON event object per line (schema in docs/progress.md).
    case json

    /// The display for this mode, writing to standard error.
    func display(totalSteps: Int, environment: [String: String]) -> any ProgressDisplay {
        switch self {
        case .tty: return TTYProgress(totalSteps: totalSteps)
        case .plain: return PlainProgress()
        case .json: return JSONProgress()
        case .auto:
            let terminal = isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
            return terminal ? TTYProgress(totalSteps: totalSteps) : PlainProgress()
        }
    }
}
