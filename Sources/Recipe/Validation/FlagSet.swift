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
            let bytes = arg.utf8
            guard bytes.count >= 2, bytes.first == 0x2D, bytes[bytes.index(after: bytes.startIndex)] == 0x2D else {
                throw .flagSyntax(arg)
            }
            let body = bytes.dropFirst(2)
            let name: String
            var value = ""
            let hasEquals: Bool
            if let eq = body.firstIndex(of: UInt8(ascii: "=")) {
                name = String(decoding: body[..<eq], as: UTF8.self)
                value = String(decoding: body[body.index(after: eq)...], as: UTF8.self)
                hasEquals = true
            } else {
                name = String(decoding: body, as: UTF8.self)
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
