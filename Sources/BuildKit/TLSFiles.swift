import Foundation

/// The files of mutual TLS to a tcp node, as buildctl's `--tlscacert`, `--tlscert`,
/// `--tlskey` and `--tlsservername` take them.
public struct TLSFiles: Sendable, Hashable, Codable {
    public var caCert: String?
    public var cert: String?
    public var key: String?
    public var serverName: String?

    public init(caCert: String? = nil, cert: String? = nil, key: String? = nil, serverName: String? = nil) {
        self.caCert = caCert
        self.cert = cert
        self.key = key
        self.serverName = serverName
    }

    public var isEmpty: Bool { caCert == nil && cert == nil && key == nil && serverName == nil }

    /// Checks, before anything starts, that each file given exists and can be read, and
    /// that a client certificate comes with its key; errors name the flag and the file.
    public func validate() throws(BuilderError) {
        for (flag, path) in [("--tlscacert", caCert), ("--tlscert", cert), ("--tlskey", key)] {
            guard let path else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .tlsFile(flag: flag, path: path, reason: "no such file") }
            guard !isDirectory.boolValue else { throw .tlsFile(flag: flag, path: path, reason: "is a directory, not a PEM file") }
            guard FileManager.default.isReadableFile(atPath: path) else { throw .tlsFile(flag: flag, path: path, reason: "cannot be read") }
        }
        if (cert == nil) != (key == nil) {
            throw .tlsIncomplete("a client certificate needs its key: give both --tlscert and --tlskey")
        }
    }

    /// The paths made absolute against `directory`, so a stored builder works from anywhere.
    public func absolute(from directory: String) -> TLSFiles {
        func abs(_ p: String?) -> String? { p.map { $0.hasPrefix("/") ? $0 : directory + "/" + $0 } }
        return TLSFiles(caCert: abs(caCert), cert: abs(cert), key: abs(key), serverName: serverName)
    }

    /// buildctl's flags for these files.
    public var arguments: [String] {
        var out: [String] = []
        if let caCert { out += ["--tlscacert", caCert] }
        if let cert { out += ["--tlscert", cert] }
        if let key { out += ["--tlskey", key] }
        if let serverName { out += ["--tlsservername", serverName] }
        return out
    }
}
