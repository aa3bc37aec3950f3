import Testing

@testable import Recipe

/// Pattern modifiers, which BuildKit's envVarTest does not cover, checked against sh.
@Suite struct ShellPatternTests {
    static let env = ["V": "foo/bar/baz", "E": "", "LONG": String(repeating: "a", count: 2000)]

    @Test(arguments: [
        ("${V#*/}", "bar/baz"), ("${V##*/}", "baz"), ("${V%/*}", "foo/bar"), ("${V%%/*}", "foo"),
        ("${V/a/X}", "foo/bXr/baz"), ("${V//a/X}", "foo/bXr/bXz"), ("${V//\\//-}", "foo-bar-baz"),
        ("${V/*/X}", "X"), ("${V#f?o}", "/bar/baz"), ("${V%b*}", "foo/bar/"), ("${V%%b*}", "foo/"),
        ("${V#nomatch}", "foo/bar/baz"), ("${E:-empty}", "empty"), ("${V//o/}", "f/bar/baz"),
        ("${V/bar/$0}", "foo//baz"), ("${LONG##*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a}", ""),
        ("${LONG#a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a}", String(repeating: "a", count: 1980)),
    ])
    func expandsLikeSh(_ input: String, _ expected: String) throws {
        #expect(try ShellLexer().expand(input, environment: Self.env) == expected)
    }

    @Test func invalidPatternEscapeIsAnError() {
        #expect(throws: ExpansionError.inWord("${V#a\\b}", .invalidPattern(pattern: "a\\b", detail: "invalid escape '\\b'"))) {
            try ShellLexer().expand("${V#a\\b}", environment: Self.env)
        }
    }

    @Test func manyStarsStayLinear() throws {
        // The fuzzer's reproducer (fuzz/crashes): 2000 characters against 40 stars.
        let pattern = String(repeating: "*", count: 40)
        #expect(try ShellLexer().expand("${LONG##\(pattern)}", environment: Self.env) == "")
        #expect(try ShellLexer().expand("${LONG#\(pattern)}", environment: Self.env) == Self.env["LONG"])
    }
}
