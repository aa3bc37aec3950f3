import Recipe

/// A COPY or ADD with its words expanded and its source resolved.
public struct CopyAction: Sendable, Hashable, Encodable {
    public enum Source: Sendable, Hashable, Encodable {
        /// The main build context.
        case context
        /// A named directory context (`--build-context NAME=DIR`): its directory.
        case namedContext(name: String, directory: String)
        /// Another stage's result: the id of its vertex.
        case stage(String)
        /// An image (or a non-directory named context) by reference.
        case image(String)
    }

    public var isAdd: Bool
    public var from: Source
    public var sources: [String]
    public var inline: [InlineSource]
    public var destination: String
    public var chown: String?
    public var chmod: String?
    public var link: Bool
    public var parents: Bool
    public var exclude: [String]
    public var checksum: String?
    public var unpack: Bool?
}
