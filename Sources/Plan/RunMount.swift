import Recipe

/// A `RUN --mount` with its words expanded and, for mounts that read files (bind, or a
/// cache seeded `from=`), where those files come from: the main context when a bind mount
/// names no `from`, else a named context, a stage or an image, resolved as COPY resolves
/// `--from`. Encoded as the mount's own fields plus `source` when there is one.
public struct RunMount: Sendable, Hashable, Encodable {
    public var spec: MountSpec
    public var source: CopyAction.Source?

    public init(spec: MountSpec, source: CopyAction.Source?) {
        self.spec = spec
        self.source = source
    }

    private enum Keys: String, CodingKey { case source }

    public func encode(to encoder: any Encoder) throws {
        try spec.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(source, forKey: .source)
    }
}
