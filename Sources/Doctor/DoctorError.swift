/// What the doctor could not read.
public enum DoctorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A binfmt_misc entry whose text is not what the kernel writes.
    case garbled(name: String, reason: String)

    public var description: String {
        switch self {
        case .garbled(let name, let reason): return "binfmt_misc entry \(name) cannot be read: \(reason)"
        }
    }
}
