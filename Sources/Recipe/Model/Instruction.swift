/// One instruction of a stage, with where it was written.
public struct Instruction: Sendable, Hashable, Encodable {
    public var body: InstructionBody
    /// The logical line as written (continuations joined, comments removed).
    public var original: String
    public var range: SourceRange
    /// The `--flags` exactly as written, for cache keys and reports.
    public var flags: [String]

    public init(body: InstructionBody, original: String, range: SourceRange, flags: [String] = []) {
        self.body = body
        self.original = original
        self.range = range
        self.flags = flags
    }

    private enum Keys: String, CodingKey { case instruction, original, range, flags }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(body, forKey: .instruction)
        try c.encode(original, forKey: .original)
        try c.encode(range, forKey: .range)
        try c.encode(flags, forKey: .flags)
    }
}
