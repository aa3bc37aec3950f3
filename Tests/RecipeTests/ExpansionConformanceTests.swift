import Foundation
import Testing

@testable import Recipe

/// BuildKit's `envVarTest` and `wordsTest`: word expansion and splitting, line by line.
@Suite struct ExpansionConformanceTests {
    struct EnvCase: CustomTestStringConvertible, Sendable {
        var line: Int
        var input: String
        var expected: String
        var testDescription: String { "envVarTest:\(line) \(input)" }
    }

    struct WordsCase: CustomTestStringConvertible, Sendable {
        var line: Int
        var input: String
        var expected: String
        var environment: [String: String]
        var testDescription: String { "wordsTest:\(line) \(input)" }
    }

    static func lines(_ name: String) -> [(Int, String)] {
        guard let data = try? Fixtures.data(name) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { ($0.offset + 1, String($0.element)) }
    }

    static let envCases: [EnvCase] = lines("envVarTest").compactMap { number, raw in
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { return nil }
        let fields = raw.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        let platform = fields[0].trimmingCharacters(in: .whitespaces)
        guard platform == "A" || platform == "U" else { return nil }
        return EnvCase(
            line: number, input: fields[1].trimmingCharacters(in: .whitespaces),
            expected: fields[2].trimmingCharacters(in: .whitespaces))
    }

    static let wordsCases: [WordsCase] = {
        var env: [String: String] = [:]
        var cases: [WordsCase] = []
        for (number, raw) in lines("wordsTest") {
            if raw.hasPrefix("#") { continue }
            if raw.hasPrefix("ENV ") {
                let assignment = raw.dropFirst(4)
                if let eq = assignment.firstIndex(of: "=") {
                    env[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
                }
                continue
            }
            let fields = raw.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2 else { continue }
            var expected = Substring(fields[1])
            while expected.first == " " || expected.first == "\t" { expected = expected.dropFirst() }
            cases.append(
                WordsCase(
                    line: number, input: fields[0].trimmingCharacters(in: .whitespaces), expected: String(expected),
                    environment: env))
        }
        return cases
    }()

    static let environment = ["PWD": "/home", "SHELL": "bash", "KOREAN": "한국어", "NULL": ""]

    @Test func caseCounts() {
        #expect(Self.envCases.count == 228)
        #expect(Self.wordsCases.count == 24)
    }

    @Test(arguments: envCases)
    func expandsLikeBuildKit(_ c: EnvCase) {
        let lexer = ShellLexer(escapeToken: "\\")
        let result = Result { () throws(ExpansionError) -> String in try lexer.expand(c.input, environment: Self.environment) }
        if c.expected == "error" {
            #expect(throws: ExpansionError.self) { try result.get() }
        } else {
            #expect((try? result.get()) == c.expected)
        }
    }

    @Test(arguments: wordsCases)
    func splitsLikeBuildKit(_ c: WordsCase) {
        let lexer = ShellLexer(escapeToken: "\\")
        let result = Result { () throws(ExpansionError) -> [String] in try lexer.words(c.input, environment: c.environment) }
        if c.expected == "error" {
            #expect(throws: ExpansionError.self) { try result.get() }
        } else {
            #expect((try? result.get())?.joined(separator: ",") == c.expected)
        }
    }
}
