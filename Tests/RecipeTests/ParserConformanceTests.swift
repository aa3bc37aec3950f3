import Foundation
import Testing

@testable import Recipe

/// BuildKit v0.26.3's own parser test data: every case must print byte-for-byte the same tree.
@Suite struct ParserConformanceTests {
    static let positiveCases: [String] = (try? Fixtures.directories("parser-testfiles")) ?? []
    static let negativeCases: [String] = (try? Fixtures.directories("parser-testfiles-negative")) ?? []

    @Test func allCasesArePresent() {
        #expect(Self.positiveCases.count == 33)
        #expect(Self.negativeCases.count == 4)
    }

    @Test(arguments: positiveCases)
    func parsesLikeBuildKit(_ name: String) throws {
        let source = try Fixtures.data("parser-testfiles/\(name)/Dockerfile")
        let expected = try Fixtures.data("parser-testfiles/\(name)/result")
        let tree = try SyntaxParser.parse(Array(source), file: "Dockerfile")
        #expect(tree.dump() == String(decoding: expected, as: UTF8.self))
    }

    @Test(arguments: negativeCases)
    func rejectsLikeBuildKit(_ name: String) throws {
        let source = try Fixtures.data("parser-testfiles-negative/\(name)/Dockerfile")
        #expect(throws: RecipeError.self) {
            _ = try RecipeParser.parse(Array(source), file: "Dockerfile")
        }
    }
}
