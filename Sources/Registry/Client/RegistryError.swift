import OCI

/// A registry operation that failed, with the registry, repository and what to do.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The registry answered with an error status; `errors` are its decoded `errors[]`.
    case http(operation: String, target: String, status: Int, errors: [RegistryErrorDetail], hint: String?)
    case transport(operation: String, target: String, detail: String)
    case digestMismatch(target: String, expected: Digest, actual: Digest)
    case sizeMismatch(target: String, expected: Int64, actual: Int64)
    case notFound(target: String, what: String)
    case insecure(host: String)
    case unsupportedMediaType(target: String, mediaType: String)
    case invalidResponse(target: String, detail: String)
    case credentials(String)

    public var description: String {
        switch self {
        case .http(let operation, let target, let status, let errors, let hint):
            let fallback: String
            switch status {
            case 401: fallback = "unauthorized: authentication required"
            case 403: fallback = "denied: requested access to the resource is denied"
            case 404: fallback = "not found"
            case 429: fallback = "too many requests"
            default: fallback = status >= 500 ? "registry server error" : "request failed"
            }
            let detail = (errors.isEmpty ? fallback : errors.map(\.text).joined(separator: "; ")) + " (HTTP \(status))"
            return "\(operation) \(target): \(detail)" + (hint.map { " — \($0)" } ?? "")
        case .transport(let operation, let target, let detail): return "\(operation) \(target): \(detail)"
        case .digestMismatch(let target, let expected, let actual):
            return "\(target): the registry sent content with digest \(actual), expected \(expected); nothing was stored"
        case .sizeMismatch(let target, let expected, let actual):
            return "\(target): the registry sent \(actual) bytes, expected \(expected); nothing was stored"
        case .notFound(let target, let what): return "\(target): \(what) not found"
        case .insecure(let host):
            return "\(host) is not a loopback address: mab speaks HTTPS to it (name it with --insecure-registry \(host) to allow plain HTTP)"
        case .unsupportedMediaType(let target, let type): return "\(target): unsupported media type \"\(type)\""
        case .invalidResponse(let target, let detail): return "\(target): unexpected registry response: \(detail)"
        case .credentials(let detail): return detail
        }
    }
}

/// One entry of a registry's JSON error body (`{"errors":[{"code","message"}]}`).
public struct RegistryErrorDetail: Sendable, Hashable, Codable {
    public var code: String
    public var message: String

    var text: String {
        let lowered = code.lowercased().replacingUnderscores()
        return message.isEmpty ? lowered : "\(lowered): \(message)"
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }
}
