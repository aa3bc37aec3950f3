/// The `--flags` an instruction accepts, and their parsing (BuildKit's `BFlags`).
struct FlagSet {
    enum Kind { case bool, string, strings }

    private let instruction: String
    private let kinds: [String: Kind]
    private(set) var values: [String: [String]] = [:]

    init(_ instruction: String, _ kinds: [String: Kind]) {
        self.instruction = instruction
        self.kinds = kinds
    }

    mutating func parse(_ flags: [String]) throws(RecipeProblem) {
        for arg in flags {
            if arg == "--" { break }
            guard arg.hasPrefix("--") else { throw .flagSyntax(arg) }
            var name = String(arg.dropFirst(2))
            var value = ""
            let hasEquals: Bool
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
                hasEquals = true
            } else {
                hasEquals = false
            }
            guard let kind = kinds[name] else {
                throw .unknownFlag(
                    instruction: instruction, flag: name,
                    suggestion: Suggest.closest(to: name, in: kinds.keys.sorted(), caseSensitive: true))
            }
            if values[name] != nil && kind != .strings { throw .duplicateFlag(name) }
            switch kind {
            case .bool:
                if hasEquals && value.isEmpty { throw .missingFlagValue(name) }
                switch value.lowercased() {
                case "true", "": values[name] = ["true"]
                case "false": values[name] = ["false"]
                default: throw .invalidBooleanFlag(flag: name, value: value)
                }
            case .string:
                guard hasEquals else { throw .missingFlagValue(name) }
                values[name] = [value]
            case .strings:
                guard hasEquals else { throw .missingFlagValue(name) }
                values[name, default: []].append(value)
            }
        }
    }

    func string(_ name: String) -> String? { values[name]?.last }
    func strings(_ name: String) -> [String] { values[name] ?? [] }
    func bool(_ name: String) -> Bool { values[name]?.last == "true" }
    func optionalBool(_ name: String) -> Bool? { values[name].map { $0.last == "true" } }
}
