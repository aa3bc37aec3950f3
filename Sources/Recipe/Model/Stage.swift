/// A build stage: a FROM line and the instructions up to the next FROM.
public struct Stage: Sendable, Hashable, Encodable {
    /// Position among the recipe's stages, from 0 (usable as `COPY --from=0`).
    public var index: Int
    /// The `AS name`, lower-cased, if any.
    public var name: String?
    /// The image, stage or context the stage starts from, as written (expanded later).
    public var baseName: String
    /// FROM --platform, as written.
    public var platform: String?
    public var original: String
    public var range: SourceRange
    /// The comment above FROM that starts with the stage name.
    public var comment: String?
    public var instructions: [Instruction]

    public init(
        index: Int, name: String?, baseName: String, platform: String?, original: String, range: SourceRange,
        comment: String?, instructions: [Instruction] = []
    ) {
        self.index = index
        self.name = name
        self.baseName = baseName
        self.platform = platform
        self.original = original
        self.range = range
        self.comment = comment
        self.instructions = instructions
    }
}
