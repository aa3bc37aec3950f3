/// A buildctl build that did not give an image.
public enum BuildctlFailure: Error, Sendable, CustomStringConvertible {
    /// `step` is the recipe step whose vertex failed, when one did; `location` where it
    /// is in the recipe (`FILE:LINE`), once the caller found it in its plan.
    case failed(node: String, status: Int32, detail: String, stderr: [String], importError: String?, step: VertexName?, location: String?)
    case interrupted(node: String)

    public var description: String {
        switch self {
        case .failed(let node, let status, let detail, let stderr, let importError, _, let location):
            var text = (location.map { "\($0): error: " } ?? "") + "buildctl on node \(node) exited with status \(status)"
            if !detail.isEmpty { text += ": \(detail)" }
            let tail = stderr.filter { !$0.isEmpty && !detail.contains($0) }.suffix(10)
            if !tail.isEmpty { text += "\n" + tail.joined(separator: "\n") }
            if status == 0, let importError { text += "\nthe OCI stream could not be read: \(importError)" }
            return text
        case .interrupted(let node): return "interrupted: buildctl on node \(node) was stopped"
        }
    }

    /// The same failure, located at `location`.
    public func located(_ location: String) -> BuildctlFailure {
        guard case .failed(let node, let status, let detail, let stderr, let importError, let step, _) = self else { return self }
        return .failed(node: node, status: status, detail: detail, stderr: stderr, importError: importError, step: step, location: location)
    }
}
