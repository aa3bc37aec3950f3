import Foundation

/// Docker's client configuration (`$DOCKER_CONFIG/config.json`, default `~/.docker`):
/// `auths` (`auth` or `username`/`password`, `identitytoken`), `credsStore`, `credHelpers`.
/// mab reads and writes the same file, so `docker login` and `mab login` share it.
public struct DockerConfig: Sendable {
    public let path: String

    public init(environment: [String: String]) {
        let dir = environment["DOCKER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.docker"
        path = dir + "/config.json"
    }

    public init(path: String) { self.path = path }

    func load() throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RegistryError.credentials("\(path): not valid JSON; fix or remove it")
        }
        return object
    }

    /// Keys Docker may have used for a registry in `auths`.
    static func keys(for registry: String) -> [String] {
        if registry == ImageReference.dockerHub {
            return ["https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io"]
        }
        return [registry, "https://\(registry)", "http://\(registry)", "https://\(registry)/v1/", "https://\(registry)/v2/"]
    }

    /// Credentials for `registry`, or nil for anonymous access.
    public func credentials(for registry: String) throws -> Credentials? {
        let config = try load()
        if let helpers = config["credHelpers"] as? [String: String] {
            for key in Self.keys(for: registry) {
                if let helper = helpers[key] { return try Self.fromHelper(helper, server: key) }
            }
        }
        if let auths = config["auths"] as? [String: Any] {
            for key in Self.keys(for: registry) {
                guard let entry = auths[key] as? [String: Any] else { continue }
                if let auth = entry["auth"] as? String, !auth.isEmpty {
                    guard let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
                        let colon = decoded.firstIndex(of: ":")
                    else {
                        throw RegistryError.credentials("\(path): the auth entry for \(key) is not base64 of user:password")
                    }
                    return Credentials(
                        username: String(decoded[..<colon]), secret: String(decoded[decoded.index(after: colon)...]),
                        identityToken: entry["identitytoken"] as? String)
                }
                if let user = entry["username"] as? String, let password = entry["password"] as? String {
                    return Credentials(username: user, secret: password, identityToken: entry["identitytoken"] as? String)
                }
            }
        }
        if let store = config["credsStore"] as? String, !store.isEmpty {
            for key in Self.keys(for: registry).prefix(2) {
                if let c = try? Self.fromHelper(store, server: key) { return c }
            }
        }
        return nil
    }

    /// Runs `docker-credential-NAME get`.
    static func fromHelper(_ name: String, server: String) throws -> Credentials? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["docker-credential-\(name)", "get"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw RegistryError.credentials("credential helper docker-credential-\(name) could not be started")
        }
        input.fileHandleForWriting.write(Data(server.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let user = object["Username"] as? String, let secret = object["Secret"] as? String
        else {
            throw RegistryError.credentials("credential helper docker-credential-\(name) returned no Username/Secret for \(server)")
        }
        if user == "<token>" { return Credentials(username: "", secret: "", identityToken: secret) }
        return Credentials(username: user, secret: secret)
    }

    /// Stores credentials for `registry` as `docker login` does (base64 `auth`).
    public func store(_ credentials: Credentials, for registry: String) throws {
        var config = try load()
        var auths = config["auths"] as? [String: Any] ?? [:]
        let key = registry == ImageReference.dockerHub ? "https://index.docker.io/v1/" : registry
        auths[key] = ["auth": Data("\(credentials.username):\(credentials.secret)".utf8).base64EncodedString()]
        config["auths"] = auths
        try write(config)
    }

    /// Removes stored credentials; returns whether there were any.
    @discardableResult
    public func remove(for registry: String) throws -> Bool {
        var config = try load()
        var auths = config["auths"] as? [String: Any] ?? [:]
        var removed = false
        for key in Self.keys(for: registry) where auths.removeValue(forKey: key) != nil { removed = true }
        config["auths"] = auths
        try write(config)
        return removed
    }

    private func write(_ config: [String: Any]) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw RegistryError.credentials("\(path): cannot write")
        }
        if rename(tmp, path) != 0 { throw RegistryError.credentials("\(path): cannot replace (\(String(cString: strerror(errno))))") }
    }
}
