/// Somewhere image blobs can be read from: the store, a layout directory, an unpacked
/// archive. Reads verify the digest.
public protocol BlobSource: Sendable {
    var description: String { get }
    func path(of digest: Digest) -> String?
}

extension BlobSource {
    public func read(_ digest: Digest) throws -> [UInt8] {
        guard let p = path(of: digest), FileSystem.exists(p) else { throw OCIError.blobNotFound(digest, where: description) }
        let bytes = try FileSystem.readFile(p)
        let actual = Digest.of(bytes)
        guard actual == digest else { throw OCIError.digestMismatch(expected: digest, actual: actual, what: "blob \(digest) in \(description)") }
        return bytes
    }
}

extension ContentStore: BlobSource {
    public func path(of digest: Digest) -> String? { blobPath(digest) }
}
