/// Blobs of an OCI layout directory (`blobs/sha256/<hex>`), plus extra files by digest
/// (the layers and config of a docker archive).
public struct DirectoryBlobSource: BlobSource {
    public let directory: String
    public let extra: [Digest: String]
    public let description: String

    public init(directory: String, extra: [Digest: String] = [:], description: String) {
        self.directory = directory
        self.extra = extra
        self.description = description
    }

    public func path(of digest: Digest) -> String? {
        if let p = extra[digest] { return p }
        return "\(directory)/blobs/\(digest.algorithm)/\(digest.hex)"
    }
}
