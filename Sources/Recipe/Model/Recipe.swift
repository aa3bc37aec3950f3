/// A parsed and validated recipe: parser directives, the ARGs before the first FROM, and
/// the stages, each instruction with its source range.
public struct Recipe: Sendable, Hashable, Encodable {
    public var file: String
    public var directives: [ParserDirective]
    public var escapeToken: String
    /// `# syntax=` as written, if present.
    public var syntaxDirective: String?
    /// `# check=` settings, if present.
    public var check: CheckDirective?
    /// ARG instructions before the first FROM (usable in FROM lines).
    public var globalArgs: [Instruction]
    public var stages: [Stage]
    public var warnings: [RecipeWarning]
    /// The syntax tree the recipe was read from (not part of the JSON model).
    public var syntax: SyntaxTree?

    enum CodingKeys: String, CodingKey {
        case file, directives, escapeToken, syntax, check, globalArgs, stages, warnings
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(directives, forKey: .directives)
        try c.encode(escapeToken, forKey: .escapeToken)
        try c.encodeIfPresent(syntaxDirective, forKey: .syntax)
        try c.encodeIfPresent(check, forKey: .check)
        try c.encode(globalArgs, forKey: .globalArgs)
        try c.encode(stages, forKey: .stages)
        try c.encode(warnings, forKey: .warnings)
    }

    public init(
        file: String, directives: [ParserDirective], escapeToken: String, syntax: String?, check: CheckDirective?,
        globalArgs: [Instruction], stages: [Stage], warnings: [RecipeWarning]
    ) {
        self.file = file
        self.directives = directives
        self.escapeToken = escapeToken
        self.syntaxDirective = syntax
        self.check = check
        self.globalArgs = globalArgs
        self.stages = stages
        self.warnings = warnings
    }
}
