/// A failure below HTTP: connection, TLS, timeouts, or a body that could not be written.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    case curl(code: Int32, message: String, url: String)
    case sink(String)

    public var description: String {
        switch self {
        case .curl(_, let message, let url): return "\(url): \(message)"
        case .sink(let message): return message
        }
    }

    /// Connection-level failures worth another try.
    public var isRetryable: Bool {
        guard case .curl(let code, _, _) = self else { return false }
        // couldn't connect, timeouts, send/recv errors, partial file, empty reply, HTTP/2 stream
        // errors, and a send that needed a rewind (the connection dropped mid-body: every
        // attempt sends its body again from the start)
        return [7, 18, 28, 52, 55, 56, 16, 92, 35, 65].contains(code)
    }
}
