/// Everything that can be wrong with a recipe. The texts follow BuildKit's where BuildKit
/// has one, so a message can be searched for; mab adds the place and, where it can, a fix.
public enum RecipeProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyRecipe
    case noInstructions
    case noStages
    case instructionBeforeFrom(String)
    case unknownInstruction(String, suggestion: String?)
    case invalidEscapeToken(String)
    case duplicateDirective(String)
    case invalidCheckDirective(String)
    case unterminatedHeredoc(String)
    case heredocLexing(ExpansionError)
    case heredocNotAllowed(instruction: String, as: String)
    case notStringArray
    case envNeedsTwoArguments(String)
    case missingEquals(word: String)
    case expansion(instruction: String, error: ExpansionError)
    case flagSyntax(String)
    case unknownFlag(instruction: String, flag: String, suggestion: String?)
    case duplicateFlag(String)
    case missingFlagValue(String)
    case invalidBooleanFlag(flag: String, value: String)
    case invalidFlagValue(flag: String, value: String, expected: String)
    case atLeastOneArgument(String)
    case exactlyOneArgument(String)
    case noDestination(String)
    case fromArguments
    case invalidStageName(String)
    case blankNames(String)
    case onbuildChain
    case onbuildTrigger(String)
    case healthcheckNoneArguments
    case healthcheckMissingCommand
    case healthcheckUnknownType(String)
    case invalidDuration(flag: String, value: String)
    case durationTooShort(flag: String)
    case invalidRetries(String)
    case retriesTooSmall(Int)
    case emptyVolume
    case shellNotJSON(String)
    case invalidMount(String)
    case invalidExclude(pattern: String)
    /// A planning error (stage graph, expansion, build context), already worded.
    case planning(String)

    public var description: String {
        switch self {
        case .emptyRecipe: return "the recipe is empty: it needs at least a FROM instruction"
        case .noInstructions: return "file with no instructions"
        case .noStages: return "the recipe has no FROM instruction, so there is no build stage"
        case .instructionBeforeFrom(let name):
            return "\(name) before the first FROM: only ARG may come before FROM (no build stage in current context)"
        case .unknownInstruction(let name, let suggestion):
            return "unknown instruction: \(name)" + Self.didYouMean(suggestion)
        case .invalidEscapeToken(let token): return "invalid escape token '\(token)' does not match ` or \\"
        case .duplicateDirective(let name): return "only one \(name) parser directive can be used"
        case .invalidCheckDirective(let detail): return "invalid check directive: \(detail)"
        case .unterminatedHeredoc(let name): return "unterminated heredoc: no line \(GoQuote.quote(name)) ends it"
        case .heredocLexing(let error): return "invalid heredoc: \(error)"
        case .heredocNotAllowed(let instruction, let what):
            return "\(instruction) cannot accept a heredoc as \(what)"
        case .notStringArray: return "when using JSON array syntax, arrays must be comprised of strings only"
        case .envNeedsTwoArguments(let name): return "\(name) must have two arguments"
        case .missingEquals(let word):
            return "Syntax error - can't find = in \(GoQuote.quote(word)). Must be of the form: name=value"
        case .expansion(let instruction, let error):
            return "\(instruction): \(error)"
        case .flagSyntax(let arg): return "arg should start with -- : \(arg)"
        case .unknownFlag(let instruction, let flag, let suggestion):
            return "unknown flag: \(flag) (for \(instruction))" + Self.didYouMean(suggestion.map { "--" + $0 })
        case .duplicateFlag(let flag): return "duplicate flag specified: \(flag)"
        case .missingFlagValue(let flag): return "missing a value on flag: \(flag)"
        case .invalidBooleanFlag(let flag, let value): return "expecting boolean value for flag \(flag), not: \(value)"
        case .invalidFlagValue(let flag, let value, let expected):
            return "invalid value \(GoQuote.quote(value)) for --\(flag): \(expected)"
        case .atLeastOneArgument(let name): return "\(name) requires at least one argument"
        case .exactlyOneArgument(let name): return "\(name) requires exactly one argument"
        case .noDestination(let name):
            return "\(name) requires at least two arguments, but only one was provided. Destination could not be determined"
        case .fromArguments: return "FROM requires either one or three arguments"
        case .invalidStageName(let name):
            return "invalid name for build stage: \(GoQuote.quote(name)), name can't start with a number or contain symbols"
        case .blankNames(let name): return "\(name) names can not be blank"
        case .onbuildChain: return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
        case .onbuildTrigger(let name): return "\(name) isn't allowed as an ONBUILD trigger"
        case .healthcheckNoneArguments: return "HEALTHCHECK NONE takes no arguments"
        case .healthcheckMissingCommand: return "Missing command after HEALTHCHECK CMD"
        case .healthcheckUnknownType(let type): return "Unknown type \(GoQuote.quote(type)) in HEALTHCHECK (try CMD)"
        case .invalidDuration(let flag, let value): return "invalid duration \(GoQuote.quote(value)) for --\(flag)"
        case .durationTooShort(let flag): return "Interval \(GoQuote.quote(flag)) cannot be less than 1ms"
        case .invalidRetries(let value): return "invalid value \(GoQuote.quote(value)) for --retries: not an integer"
        case .retriesTooSmall(let n): return "--retries must be at least 1 (not \(n))"
        case .emptyVolume: return "VOLUME specified can not be an empty string"
        case .shellNotJSON(let name): return "\(name) requires the arguments to be in JSON form"
        case .invalidMount(let detail): return "invalid --mount: \(detail)"
        case .invalidExclude(let pattern): return "invalid --exclude pattern \(GoQuote.quote(pattern))"
        case .planning(let message): return message
        }
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean \($0)?)" } ?? ""
    }
}
