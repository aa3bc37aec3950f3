import Foundation
import OCI

extension RegistryClient {
    /// Whether the registry already has the blob in `repository`.
    public func blobExists(_ repository: String, _ digest: Digest, operation: String = "check", scope: String? = nil) throws -> Bool {
        let target = operation == "check" ? "\(registry)/\(repository)@\(digest)" : "\(registry)/\(repository)"
        let r = try send(operation, target: target, method: "HEAD", path: "/v2/\(repository)/blobs/\(digest)", scope: scope ?? Self.pullScope(repository))
        if r.status == 200 { return true }
        if r.status == 404 { return false }
        throw httpError(operation, target, r, hint: nil)
    }

    /// Streams a blob into the store, verifying size and digest; a mismatch stores nothing.
    public func fetchBlob(_ repository: String, _ descriptor: Descriptor, into store: ContentStore) throws {
        if store.contains(descriptor.digest) { return }
        let target = "\(registry)/\(repository)@\(descriptor.digest)"
        var writer = try store.writer()
        let response = try send(
            "pull", target: target, method: "GET", path: "/v2/\(repository)/blobs/\(descriptor.digest)",
            scope: Self.pullScope(repository), sink: { try writer.write($0) },
            resetSink: {
                writer.abort()
                writer = try store.writer()
            })
        if response.status == 404 { throw RegistryError.notFound(target: target, what: "blob") }
        guard response.status == 200 else { throw httpError("pull", target, response, hint: nil) }
        if writer.bytesWritten != descriptor.size {
            throw RegistryError.sizeMismatch(target: target, expected: descriptor.size, actual: writer.bytesWritten)
        }
        do {
            try writer.commit(expectedDigest: descriptor.digest, expectedSize: descriptor.size, what: target)
        } catch OCIError.digestMismatch(let expected, let actual, _) {
            throw RegistryError.digestMismatch(target: target, expected: expected, actual: actual)
        }
    }

    /// Uploads a blob from a file unless the registry has it: tries a cross-repository
    /// mount from `mountFrom`, else a monolithic upload (POST then PUT), or chunked PATCHes
    /// for blobs over `chunkSize`. Returns how it was satisfied.
    public enum UploadOutcome: Sendable { case existed, mounted, uploaded }

    @discardableResult
    public func pushBlob(_ repository: String, _ descriptor: Descriptor, path: String, mountFrom: [String] = []) throws -> UploadOutcome {
        let target = "\(registry)/\(repository)@\(descriptor.digest)"
        let scope = Self.pushScope(repository)
        if try blobExists(repository, descriptor.digest, operation: "push", scope: scope) { return .existed }
        for other in mountFrom where other != repository {
            let r = try send(
                "mount", target: target, method: "POST",
                path: "/v2/\(repository)/blobs/uploads/?mount=\(descriptor.digest)&from=\(other)",
                scope: scope + " repository:\(other):pull")
            if r.status == 201 { return .mounted }
            if r.status == 202, let location = r.header("Location") {
                // Mount refused; the registry opened an ordinary upload instead.
                try upload(to: location, descriptor, path: path, target: target, scope: scope, chunkSize: self.chunkSize)
                return .uploaded
            }
        }
        let start = try send("push", target: target, method: "POST", path: "/v2/\(repository)/blobs/uploads/", scope: scope)
        guard start.status == 202, let location = start.header("Location") else {
            throw httpError("push", target, start, hint: nil)
        }
        try upload(to: location, descriptor, path: path, target: target, scope: scope, chunkSize: self.chunkSize)
        return .uploaded
    }

    private func withDigest(_ location: String, _ digest: Digest) -> String {
        location + (location.contains("?") ? "&" : "?") + "digest=" + RegistryClient.encode(digest.description)
    }

    private func upload(to location: String, _ descriptor: Descriptor, path: String, target: String, scope: String, chunkSize: Int64) throws {
        var location = location
        if descriptor.size <= chunkSize {
            let r = try send(
                "push", target: target, method: "PUT", path: withDigest(location, descriptor.digest),
                headers: [("Content-Type", "application/octet-stream")],
                body: .file(path: path, offset: 0, length: descriptor.size), scope: scope)
            guard r.status == 201 else { throw httpError("push", target, r, hint: nil) }
            return
        }
        var offset: Int64 = 0
        while offset < descriptor.size {
            let length = min(chunkSize, descriptor.size - offset)
            let r = try send(
                "push", target: target, method: "PATCH", path: location,
                headers: [("Content-Type", "application/octet-stream"), ("Content-Range", "\(offset)-\(offset + length - 1)")],
                body: .file(path: path, offset: offset, length: length), scope: scope)
            guard r.status == 202, let next = r.header("Location") else { throw httpError("push", target, r, hint: nil) }
            location = next
            offset += length
        }
        let r = try send("push", target: target, method: "PUT", path: withDigest(location, descriptor.digest), scope: scope)
        guard r.status == 201 else { throw httpError("push", target, r, hint: nil) }
    }
}
