/// A buildctl build that did not give an image.
public enum BuildctlFailure: Error, Sendable, CustomStringConvertible {
    case failed(node: String, status: Int32, detail: String, stderr: [String], importError: String?)
    case interrupted(node: String)

    public var description: String {
        switch self {
        case .failed(let node, let status, let detail, let stderr, let importError):
            var text = "buildctl on node \(node) exited with status \(status)"
            if !detail.isEmpty { text += ": \(detail)" }
            let tail = stderr.filter { !$0.isEmpty && !detail.contains($0) }.suffix(10)
            if !tail.isEmpty { text += "\n" + tail.joined(separator: "\n") }
            if status == 0, let importError { text += "\nthe OCI stream could not be read: \(importError)" }
            return text
        case .interrupted(let node): return "interrupted: buildctl on node \(node) was stopped"
        }
    }
}
