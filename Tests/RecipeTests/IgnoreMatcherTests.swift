import Testing

@testable import Recipe

/// `.dockerignore` semantics as Docker's patternmatcher implements them.
@Suite struct IgnoreMatcherTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var patterns: [String]
        var path: String
        var excluded: Bool
        var testDescription: String { "\(patterns) \(path) → \(excluded)" }
    }

    static let cases: [Case] = [
        Case(patterns: ["*.log"], path: "a.log", excluded: true),
        Case(patterns: ["*.log"], path: "dir/a.log", excluded: false),
        Case(patterns: ["**/*.log"], path: "dir/sub/a.log", excluded: true),
        Case(patterns: ["**/*.log"], path: "a.log", excluded: true),
        Case(patterns: ["node_modules"], path: "node_modules/x/y.js", excluded: true),
        Case(patterns: ["node_modules"], path: "src/node_modules", excluded: false),
        Case(patterns: ["**/node_modules"], path: "src/node_modules/x", excluded: true),
        Case(patterns: ["*", "!keep.txt"], path: "keep.txt", excluded: false),
        Case(patterns: ["*", "!keep.txt"], path: "other", excluded: true),
        Case(patterns: ["dir", "!dir/keep"], path: "dir/keep", excluded: false),
        Case(patterns: ["dir", "!dir/keep"], path: "dir/other", excluded: true),
        Case(patterns: ["!dir/keep", "dir"], path: "dir/keep", excluded: true),
        Case(patterns: ["a/**"], path: "a/b/c", excluded: true),
        Case(patterns: ["a/**"], path: "a", excluded: false),
        Case(patterns: ["**"], path: "any/thing", excluded: true),
        Case(patterns: ["?.txt"], path: "a.txt", excluded: true),
        Case(patterns: ["?.txt"], path: "ab.txt", excluded: false),
        Case(patterns: ["[a-c].md"], path: "b.md", excluded: true),
        Case(patterns: ["[a-c].md"], path: "d.md", excluded: false),
        Case(patterns: ["[^a].md"], path: "a.md", excluded: false),
        Case(patterns: ["[^a].md"], path: "b.md", excluded: true),
        Case(patterns: ["\\*.md"], path: "*.md", excluded: true),
        Case(patterns: ["\\*.md"], path: "a.md", excluded: false),
        Case(patterns: ["./build/../out/"], path: "out/x", excluded: true),
        Case(patterns: ["docs/*.md", "!docs/README.md"], path: "docs/README.md", excluded: false),
        Case(patterns: ["docs/**/*.md"], path: "docs/README.md", excluded: true),
        Case(patterns: ["a.b"], path: "axb", excluded: false),
        Case(patterns: ["*.(x)"], path: "f.(x)", excluded: true),
    ]

    @Test(arguments: cases)
    func matchesLikeDocker(_ c: Case) throws {
        let matcher = try IgnoreMatcher(patterns: c.patterns)
        #expect(matcher.excludes(c.path) == c.excluded)
    }

    @Test func readsIgnoreFileLikeDocker() throws {
        let text = "\u{FEFF}# comment\n  spaced.txt  \n\n/abs/path\n! keep/me \n#not-a-pattern\nsub/../top\n"
        #expect(IgnoreMatcher.readPatterns(text) == ["spaced.txt", "abs/path", "!keep/me", "top"])
        let matcher = try IgnoreMatcher(fileContents: "*\n!src\n")
        #expect(matcher.excludes("Dockerfile"))
        #expect(!matcher.excludes("src/main.swift"))
    }

    /// A walk skips an excluded directory unless an exception can reach inside it.
    @Test func prunesExcludedDirectoriesNoExceptionReaches() throws {
        let m = try IgnoreMatcher(patterns: ["logs/", "!logs/important.log", "tmp", "cache", "!**/keep", "*.o", "!lo*/x"])
        #expect(!m.prunes("logs", isDirectory: true))
        #expect(m.prunes("logs/noise.log", isDirectory: false))
        #expect(!m.prunes("logs/important.log", isDirectory: false))
        #expect(!m.prunes("tmp", isDirectory: true), "!**/keep may match below any directory")
        let plain = try IgnoreMatcher(patterns: ["tmp", "!logs/x"])
        #expect(plain.prunes("tmp", isDirectory: true))
        #expect(plain.prunes("tmp", isDirectory: false))
        #expect(!plain.prunes("src", isDirectory: true))
        #expect(m.prunes("a.o", isDirectory: false))
    }

    @Test func rejectsBadPatterns() {
        #expect(throws: IgnoreError.illegalExclusion) { try IgnoreMatcher(patterns: ["!"]) }
        #expect(throws: IgnoreError.badPattern("[z-a]")) { try IgnoreMatcher(patterns: ["[z-a]"]) }
        #expect(throws: IgnoreError.badPattern("a\\")) { try IgnoreMatcher(patterns: ["a\\"]) }
        #expect(IgnoreError.illegalExclusion.description == "illegal exclusion pattern: \"!\"")
    }

    @Test func recipeSpecificIgnoreFileWins() {
        let present: Set<String> = ["ctx/app.Dockerfile.dockerignore", "ctx/.dockerignore"]
        #expect(IgnoreMatcher.ignoreFilePath(recipePath: "ctx/app.Dockerfile", contextDirectory: "ctx", exists: present.contains) == "ctx/app.Dockerfile.dockerignore")
        #expect(IgnoreMatcher.ignoreFilePath(recipePath: "ctx/Dockerfile", contextDirectory: "ctx/", exists: present.contains) == "ctx/.dockerignore")
        #expect(IgnoreMatcher.ignoreFilePath(recipePath: "-", contextDirectory: "other", exists: present.contains) == nil)
    }
}
