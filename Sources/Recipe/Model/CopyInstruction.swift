/// COPY and ADD: sources (paths, URLs, heredocs), destination and their flags.
public struct CopyInstruction: Sendable, Hashable, Encodable {
    public var sources: [String]
    public var inlineSources: [InlineSource]
    public var destination: String
    /// COPY --from: a stage name or index, an image, or a named context.
    public var from: String?
    public var chown: String?
    public var chmod: String?
    public var link: Bool
    /// COPY --parents.
    public var parents: Bool
    public var exclude: [String]
    /// ADD --checksum.
    public var checksum: String?
    /// ADD --keep-git-dir.
    public var keepGitDir: Bool
    /// ADD --unpack (nil: archives from the context unpack, URLs do not).
    public var unpack: Bool?

    public init(
        sources: [String], inlineSources: [InlineSource], destination: String, from: String? = nil,
        chown: String? = nil, chmod: String? = nil, link: Bool = false, parents: Bool = false,
        exclude: [String] = [], checksum: String? = nil, keepGitDir: Bool = false, unpack: Bool? = nil
    ) {
        self.sources = sources
        self.inlineSources = inlineSources
        self.destination = destination
        self.from = from
        self.chown = chown
        self.chmod = chmod
        self.link = link
        self.parents = parents
        self.exclude = exclude
        self.checksum = checksum
        self.keepGitDir = keepGitDir
        self.unpack = unpack
    }
}
