/// A `WWW-Authenticate` challenge: scheme and its parameters (`realm`, `service`, `scope`).
public struct AuthChallenge: Sendable, Hashable {
    public var scheme: String
    public var parameters: [String: String]

    /// Parses `Bearer realm="https://auth",service="registry",scope="repository:a:pull"`.
    public init?(header: String) {
        let trimmed = header.trimmingCharacters(in: " \t")
        guard let space = trimmed.firstIndex(of: " ") else {
            guard !trimmed.isEmpty else { return nil }
            scheme = trimmed.lowercased()
            parameters = [:]
            return
        }
        scheme = trimmed[..<space].lowercased()
        var params: [String: String] = [:]
        var rest = Array(trimmed[trimmed.index(after: space)...].unicodeScalars)[...]
        func skipSpaces() { while let f = rest.first, f == " " || f == "\t" || f == "," { rest = rest.dropFirst() } }
        skipSpaces()
        while !rest.isEmpty {
            var key = ""
            while let f = rest.first, f != "=" { key.unicodeScalars.append(f); rest = rest.dropFirst() }
            guard rest.first == "=" else { break }
            rest = rest.dropFirst()
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let f = rest.first, f != "\"" {
                    if f == "\\", rest.count > 1 {
                        rest = rest.dropFirst()
                    }
                    value.unicodeScalars.append(rest.first!)
                    rest = rest.dropFirst()
                }
                rest = rest.dropFirst()
            } else {
                while let f = rest.first, f != "," { value.unicodeScalars.append(f); rest = rest.dropFirst() }
            }
            params[key.trimmingCharacters(in: " \t").lowercased()] = value
            skipSpaces()
        }
        parameters = params
    }
}
