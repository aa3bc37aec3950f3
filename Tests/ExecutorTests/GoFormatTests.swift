@testable import Executor
import Testing

/// Go's fmt, as BuildKit's history texts use it (values checked against Go 1.24).
struct GoFormatTests {
    @Test(arguments: [
        (0, "0s"), (1, "1ns"), (1_500, "1.5µs"), (100_000_000, "100ms"), (1_000_000_000, "1s"), (1_500_000_000, "1.5s"),
        (90_000_000_000, "1m30s"), (120_000_000_000, "2m0s"), (3_630_000_000_000, "1h0m30s"), (-5_000_000_000, "-5s"),
    ] as [(Int64, String)])
    func duration(_ ns: Int64, _ text: String) {
        #expect(GoFormat.duration(ns) == text)
    }

    @Test func quoting() {
        #expect(GoFormat.quote("a \"b\" \\ c\n\t\u{1}é") == #""a \"b\" \\ c\n\t\x01é""#)
        #expect(GoFormat.quoteList(["CMD-SHELL", "wget -q localhost"]) == #"["CMD-SHELL" "wget -q localhost"]"#)
        #expect(GoFormat.list(["/data", "/v"]) == "[/data /v]")
        #expect(GoFormat.quoteRune(4) == #"'\x04'"#)
        #expect(GoFormat.quoteRune(0) == #"'\x00'"#)
        #expect(GoFormat.quoteRune(65) == "'A'")
        #expect(GoFormat.quoteRune(10) == #"'\n'"#)
        #expect(GoFormat.quoteRune(39) == #"'\''"#)
    }
}
