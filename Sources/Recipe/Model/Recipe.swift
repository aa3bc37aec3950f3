/// A parsed and validated recipe: parser directives, the ARGs before the first FROM, and
/// the stages, each instruction with its source range.
public struct Recipe: Sendable, Hashable, Encodable {
    public var file: String
    public var directives: [ParserDirective]
    public var escapeToken: String
    /// `# syntax=` as written, if present.
    public var syntax: String?
    /// `# check=` settings, if present.
    public var check: CheckDirective?
    /// ARG instructions before the first FROM (usable in FROM lines).
    public var globalArgs: [Instruction]
    public var stages: [Stage]
    public var warnings: [RecipeWarning]

    public init(
        file: String, directives: [ParserDirective], escapeToken: String, syntax: String?, check: CheckDirective?,
        globalArgs: [Instruction], stages: [Stage], warnings: [RecipeWarning]
    ) {
        self.file = file
        self.directives = directives
        self.escapeToken = escapeToken
        self.syntax = syntax
        self.check = check
        self.globalArgs = globalArgs
        self.stages = stages
        self.warnings = warnings
    }
}
