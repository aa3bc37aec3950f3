/// `# check=skip=RuleA,RuleB;error=true;experimental=all` — BuildKit's lint settings.
public struct CheckDirective: Sendable, Hashable, Codable {
    public var skip: [String] = []
    public var error = false
    public var experimental: [String] = []

    public init(parsing value: String) throws(RecipeProblem) {
        for part in value.split(separator: ";", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2 else { throw .invalidCheckDirective("expected KEY=VALUE, got \(GoQuote.quote(String(part)))") }
            let key = kv[0].trimmingCharacters(in: " \t").lowercased()
            let raw = kv[1].trimmingCharacters(in: " \t")
            switch key {
            case "skip":
                skip = raw.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }
            case "error":
                switch raw.lowercased() {
                case "true", "1": error = true
                case "false", "0": error = false
                default: throw .invalidCheckDirective("error must be true or false, not \(GoQuote.quote(raw))")
                }
            case "experimental":
                experimental = raw.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }
            default:
                throw .invalidCheckDirective("unknown key \(GoQuote.quote(key)) (expected skip, error or experimental)")
            }
        }
    }

    static func validate(_ value: String) throws(RecipeProblem) {
        _ = try CheckDirective(parsing: value)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = self[...]
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
