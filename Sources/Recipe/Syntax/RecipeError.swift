/// A recipe that cannot be built: what is wrong, and where.
public struct RecipeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var range: SourceRange
    public var problem: RecipeProblem

    public init(file: String, range: SourceRange, problem: RecipeProblem) {
        self.file = file
        self.range = range
        self.problem = problem
    }

    /// `FILE:LINE:COLUMN: error: WHAT`
    public var description: String {
        "\(file):\(range.start.line):\(range.start.column): error: \(problem)"
    }
}
