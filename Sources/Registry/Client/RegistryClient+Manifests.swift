import Foundation
import OCI

extension RegistryClient {
    static let manifestAccept = [
        MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest,
    ].joined(separator: ", ")

    static func pullScope(_ repository: String) -> String { "repository:\(repository):pull" }
    static func pushScope(_ repository: String) -> String { "repository:\(repository):pull,push" }

    /// Fetches a manifest or index by tag or digest, verifying its digest.
    public func manifest(_ repository: String, reference: String) throws -> (Descriptor, [UInt8]) {
        let target = "\(registry)/\(repository):\(reference)"
        let response = try send(
            "pull", target: target, method: "GET", path: "/v2/\(repository)/manifests/\(reference)",
            headers: [("Accept", Self.manifestAccept)], scope: Self.pullScope(repository))
        if response.status == 404 { throw RegistryError.notFound(target: target, what: "manifest") }
        guard response.status == 200 else { throw httpError("pull", target, response, hint: nil) }
        let bytes = response.body
        let actual = Digest.of(bytes)
        if let expected = try? Digest(parsing: reference), expected != actual {
            throw RegistryError.digestMismatch(target: target, expected: expected, actual: actual)
        }
        if let header = response.header("Docker-Content-Digest"), let claimed = try? Digest(parsing: header), claimed != actual {
            throw RegistryError.digestMismatch(target: target, expected: claimed, actual: actual)
        }
        var mediaType = response.header("Content-Type")?.split(separator: ";").first.map(String.init) ?? ""
        if !(MediaType.isIndex(mediaType) || MediaType.isManifest(mediaType)) {
            struct Probe: Decodable { var mediaType: String?; var manifests: [Descriptor]? }
            let probe = try? JSONDecoder().decode(Probe.self, from: Data(bytes))
            mediaType = probe?.mediaType ?? (probe?.manifests != nil ? MediaType.ociIndex : MediaType.ociManifest)
        }
        guard MediaType.isIndex(mediaType) || MediaType.isManifest(mediaType) else {
            throw RegistryError.unsupportedMediaType(target: target, mediaType: mediaType)
        }
        return (Descriptor(mediaType: mediaType, digest: actual, size: Int64(bytes.count)), bytes)
    }

    /// Uploads a manifest or index under `reference` (a tag or its digest).
    public func putManifest(_ repository: String, reference: String, mediaType: String, bytes: [UInt8]) throws {
        let target = "\(registry)/\(repository):\(reference)"
        let response = try send(
            "push", target: target, method: "PUT", path: "/v2/\(repository)/manifests/\(reference)",
            headers: [("Content-Type", mediaType)], body: .bytes(bytes), scope: Self.pushScope(repository))
        guard response.status == 201 || response.status == 200 else {
            throw httpError("push", target, response, hint: nil)
        }
    }
}
