import Foundation
import OCI

/// A distribution-spec client for one registry: authentication (anonymous, Basic,
/// Bearer tokens cached per scope), retries with backoff, streamed and verified blobs.
/// Safe to use from several threads: each request borrows a libcurl handle from a pool.
public final class RegistryClient: @unchecked Sendable {
    public let registry: String
    public let baseURL: String
    let credentials: Credentials?
    let environment: [String: String]
    /// Attempts for connection errors, 429 and 5xx (1 = no retry).
    public var maxAttempts = 5
    /// Base backoff in seconds (doubles every attempt, capped at 10 s).
    public var backoff = 0.25
    /// Blobs larger than this are uploaded in chunks of this size.
    public var chunkSize: Int64 = 64 << 20

    private let lock = NSLock()
    private var transports: [CurlTransport] = []
    private var tokens: [String: String] = [:]
    private var basicAccepted = false
    private var challenge: AuthChallenge?

    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public init(registry: String, insecureRegistries: [String] = [], credentials: Credentials?, environment: [String: String] = [:]) throws {
        self.registry = registry
        self.credentials = credentials
        self.environment = environment
        let host = ImageReference(registry: registry, repository: "x").hostname
        let plain = Self.isLoopback(host) || insecureRegistries.contains(registry) || insecureRegistries.contains(host)
        let endpoint = registry == ImageReference.dockerHub ? "registry-1.docker.io" : registry
        baseURL = (plain ? "http://" : "https://") + endpoint
    }

    private func borrow() throws -> CurlTransport {
        lock.lock()
        let reused = transports.popLast()
        lock.unlock()
        if let reused { return reused }
        do {
            return try CurlTransport(environment: environment)
        } catch {
            throw RegistryError.transport(operation: "connect to", target: registry, detail: "\(error)")
        }
    }

    private func giveBack(_ t: CurlTransport) {
        lock.lock()
        transports.append(t)
        lock.unlock()
    }

    func url(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        return baseURL + path
    }

    private func authorization(scope: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if let token = tokens[scope] { return "Bearer \(token)" }
        if basicAccepted || challenge?.scheme == "basic", let c = credentials, c.identityToken == nil || !c.username.isEmpty {
            return "Basic " + Data("\(c.username):\(c.secret)".utf8).base64EncodedString()
        }
        return nil
    }

    /// Performs a request with auth and retries. Error statuses are returned, not thrown,
    /// except 401 after authenticating, which becomes a `RegistryError`.
    public func send(
        _ operation: String, target: String, method: String, path: String, headers: [(String, String)] = [],
        body: HTTPRequest.Body = .none, scope: String, sink: ((UnsafeRawBufferPointer) throws -> Void)? = nil,
        resetSink: (() throws -> Void)? = nil
    ) throws -> HTTPResponse {
        var attempt = 0
        var authenticated = false
        while true {
            attempt += 1
            var all = headers
            if let auth = authorization(scope: scope) { all.append(("Authorization", auth)) }
            let request = HTTPRequest(method: method, url: url(path), headers: all, body: body)
            let transport = try borrow()
            let response: HTTPResponse
            do {
                response = try transport.perform(request, sink: sink)
                giveBack(transport)
            } catch let error as TransportError {
                giveBack(transport)
                if error.isRetryable && attempt < maxAttempts {
                    try resetSink?()
                    sleep(seconds: delay(attempt, retryAfter: nil))
                    continue
                }
                throw RegistryError.transport(operation: operation, target: target, detail: "\(error) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))")
            }
            if response.status == 401 && !authenticated {
                authenticated = true
                try authenticate(response, scope: scope, operation: operation, target: target)
                try resetSink?()
                attempt -= 1
                continue
            }
            if (response.status == 429 || response.status >= 500) && attempt < maxAttempts {
                try resetSink?()
                sleep(seconds: delay(attempt, retryAfter: response.header("Retry-After")))
                continue
            }
            if response.status == 401 || response.status == 403 {
                throw httpError(operation, target, response, hint: "run 'mab login \(registry)'" + (credentials == nil ? "" : " (the stored credentials were refused)"))
            }
            return response
        }
    }

    func delay(_ attempt: Int, retryAfter: String?) -> Double {
        if let retryAfter, let seconds = Double(retryAfter) { return min(max(seconds, 0), 30) }
        return min(backoff * pow(2, Double(attempt - 1)), 10)
    }

    private func sleep(seconds: Double) {
        if seconds > 0 { usleep(UInt32(seconds * 1_000_000)) }
    }

    /// Handles a 401: Basic (if we have credentials) or a Bearer token for `scope`.
    private func authenticate(_ response: HTTPResponse, scope: String, operation: String, target: String) throws {
        let challenges = (response.headers["www-authenticate"] ?? []).compactMap(AuthChallenge.init(header:))
        guard let chosen = challenges.first(where: { $0.scheme == "bearer" }) ?? challenges.first(where: { $0.scheme == "basic" }) else {
            throw httpError(operation, target, response, hint: "the registry asked for authentication without a usable challenge")
        }
        lock.lock()
        challenge = chosen
        lock.unlock()
        if chosen.scheme == "basic" {
            guard credentials != nil else {
                throw httpError(operation, target, response, hint: "run 'mab login \(registry)'")
            }
            lock.lock()
            basicAccepted = true
            lock.unlock()
            return
        }
        let token = try fetchToken(chosen, scope: scope, operation: operation, target: target)
        lock.lock()
        tokens[scope] = token
        lock.unlock()
    }

    private func fetchToken(_ challenge: AuthChallenge, scope: String, operation: String, target: String) throws -> String {
        guard let realm = challenge.parameters["realm"] else {
            throw RegistryError.invalidResponse(target: target, detail: "Bearer challenge without realm")
        }
        var query: [String] = []
        if let service = challenge.parameters["service"] { query.append("service=" + Self.encode(service)) }
        if !scope.isEmpty { query.append("scope=" + Self.encode(scope)) }
        let url = realm + (realm.contains("?") ? "&" : "?") + query.joined(separator: "&")
        var headers: [(String, String)] = []
        if let c = credentials, !c.username.isEmpty {
            headers.append(("Authorization", "Basic " + Data("\(c.username):\(c.secret)".utf8).base64EncodedString()))
        }
        let transport = try borrow()
        defer { giveBack(transport) }
        let response: HTTPResponse
        do {
            response = try transport.perform(HTTPRequest(method: "GET", url: url, headers: headers))
        } catch {
            throw RegistryError.transport(operation: "get a token for", target: target, detail: "\(error)")
        }
        guard response.status == 200 else {
            throw httpError("get a token for", target, response, hint: credentials == nil ? "run 'mab login \(registry)'" : "the token server refused the stored credentials")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let token = (object["token"] as? String) ?? (object["access_token"] as? String), !token.isEmpty
        else {
            throw RegistryError.invalidResponse(target: target, detail: "token response without a token")
        }
        return token
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? s
    }

    func httpError(_ operation: String, _ target: String, _ response: HTTPResponse, hint: String?) -> RegistryError {
        struct Body: Decodable { var errors: [RegistryErrorDetail]? }
        let details = (try? JSONDecoder().decode(Body.self, from: Data(response.body)))?.errors ?? []
        return .http(operation: operation, target: target, status: response.status, errors: details, hint: hint)
    }
}
