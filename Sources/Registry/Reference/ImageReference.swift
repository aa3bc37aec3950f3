import OCI

/// An image reference as docker parses it: `name`, `name:tag`, `name@sha256:…`,
/// `host[:port]/path/name:tag@digest`. Docker Hub names are normalised
/// (`alpine` → `docker.io/library/alpine`).
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// The registry host (with port), `docker.io` for Docker Hub.
    public var registry: String
    /// The repository path (`library/alpine`, `team/app`).
    public var repository: String
    public var tag: String?
    public var digest: Digest?

    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    public static let dockerHub = "docker.io"

    /// Parses a reference; the error says which part is wrong.
    public init(parsing text: String) throws(ReferenceError) {
        guard !text.isEmpty else { throw .empty }
        guard text.count <= 4096 else { throw .tooLong(text) }
        var rest = Substring(text)
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            let digestText = String(rest[rest.index(after: at)...])
            do {
                digest = try Digest(parsing: digestText)
            } catch {
                throw .invalidDigest(reference: text, digest: digestText)
            }
            rest = rest[..<at]
        }
        var tag: String?
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            let t = String(rest[rest.index(after: colon)...])
            guard Self.isValidTag(t) else { throw .invalidTag(reference: text, tag: t) }
            tag = t
            rest = rest[..<colon]
        }
        var registry = Self.dockerHub
        var path = String(rest)
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.hasPrefix("[") {
                registry = String(first)
                path = String(rest[rest.index(after: slash)...])
                guard Self.isValidRegistry(registry) else { throw .invalidRegistry(reference: text, registry: registry) }
            }
        }
        guard !path.isEmpty else { throw .missingRepository(text) }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard Self.isValidComponent(component) else {
                if component.contains(where: { $0.isUppercase }) {
                    throw .uppercaseRepository(reference: text, repository: path)
                }
                throw .invalidRepository(reference: text, component: String(component))
            }
        }
        if registry == Self.dockerHub || registry == "index.docker.io" {
            registry = Self.dockerHub
            if !path.contains("/") { path = "library/" + path }
        }
        self.init(registry: registry, repository: path, tag: tag, digest: digest)
    }

    /// The host to talk to (Docker Hub's API lives at registry-1.docker.io).
    public var endpointHost: String { registry == Self.dockerHub ? "registry-1.docker.io" : registry }

    /// The host part without port, for insecure-registry and loopback checks.
    public var hostname: String {
        if registry.hasPrefix("["), let end = registry.firstIndex(of: "]") {
            return String(registry[registry.index(after: registry.startIndex)..<end])
        }
        return String(registry.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// What to ask the registry for: the digest if any, else the tag, else `latest`.
    public var reference: String { digest?.description ?? tag ?? "latest" }

    public var description: String {
        var s = "\(registry)/\(repository)"
        if let tag { s += ":\(tag)" }
        if let digest { s += "@\(digest)" }
        return s
    }

    /// `registry/repository` (no tag or digest).
    public var name: String { "\(registry)/\(repository)" }

    static func isValidTag(_ t: String) -> Bool {
        let b = Array(t.utf8)
        guard !b.isEmpty, b.count <= 128 else { return false }
        func word(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F }
        guard word(b[0]) else { return false }
        return b.dropFirst().allSatisfy { word($0) || $0 == 0x2E || $0 == 0x2D }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidComponent(_ c: Substring) -> Bool {
        let b = Array(c.utf8)
        guard !b.isEmpty else { return false }
        func alnum(_ x: UInt8) -> Bool { (x >= 0x30 && x <= 0x39) || (x >= 0x61 && x <= 0x7A) }
        guard alnum(b[0]), alnum(b[b.count - 1]) else { return false }
        var i = 0
        while i < b.count {
            if alnum(b[i]) { i += 1; continue }
            var j = i
            while j < b.count, !alnum(b[j]) { j += 1 }
            let sep = b[i..<j]
            let ok = sep.elementsEqual([0x2E]) || sep.elementsEqual([0x5F]) || sep.elementsEqual([0x5F, 0x5F]) || sep.allSatisfy { $0 == 0x2D }
            if !ok { return false }
            i = j
        }
        return true
    }

    static func isValidRegistry(_ r: String) -> Bool {
        if r.hasPrefix("[") {
            guard let end = r.firstIndex(of: "]") else { return false }
            let after = r[r.index(after: end)...]
            return after.isEmpty || (after.hasPrefix(":") && UInt16(after.dropFirst()) != nil)
        }
        let parts = r.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 { guard let port = UInt16(parts[1]), port > 0 else { return false } }
        let host = parts[0]
        guard !host.isEmpty else { return false }
        return host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }
                && label.first != "-" && label.last != "-"
        }
    }
}
