import Foundation
import Testing

@testable import MabCLI

/// `mab parse` and the top-level command, through the real binary.
@Suite struct ParseCommandTests {
    @Test func helpListsEveryCommandAndVersionPrints() throws {
        let help = try MabProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("  parse                   Check a recipe; print its parse tree or model.\n"))
        // Every command fits on one line.
        let commandLines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("SUBCOMMANDS:") }.dropFirst().prefix { !$0.isEmpty }
        #expect(commandLines.count == 16)
        #expect(commandLines.allSatisfy { $0.hasPrefix("  ") && !$0.hasPrefix("   ") })
        let version = try MabProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "mab \(MabCommand.version)\n")
    }

    @Test func printsBuildKitTreeForDefaultDockerfile() throws {
        let dir = try MabProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "FROM busybox AS base\nRUN --mount=type=cache,target=/c echo \\\n  hi\nCMD [\"sh\"]\n"
            .write(to: dir.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        let result = try MabProcess.run(["parse"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            (from "busybox" "AS" "base")
            (run ["--mount=type=cache,target=/c"] "echo   hi")
            (cmd "sh")

            """)
    }

    @Test func readsStandardInputAndPrintsJSON() throws {
        let result = try MabProcess.run(["parse", "-f", "-", "--format", "json"], stdin: "FROM scratch\nUSER 1000\n")
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["file"] as? String == "<stdin>")
        let stages = json?["stages"] as? [[String: Any]]
        let instruction = (stages?.first?["instructions"] as? [[String: Any]])?.first
        #expect((instruction?["instruction"] as? [String: Any])?["user"] as? String == "1000")
        let start = (instruction?["range"] as? [String: Any])?["start"] as? [String: Int]
        #expect(start == ["line": 2, "column": 1])
    }

    @Test func errorShowsPlaceLineAndCaret() throws {
        let result = try MabProcess.run(["parse", "-f", "-"], stdin: "FROM scratch\n\tCOPY --chwon=1:1 a /b\n")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == """
            <stdin>:2:7: error: unknown flag: chwon (for COPY) (did you mean --chown?)
                  COPY --chwon=1:1 a /b
                       ^~~~~~~

            """)
    }

    @Test func unknownInstructionAndNoFromExitOne() throws {
        let misspelled = try MabProcess.run(["parse", "-f", "-"], stdin: "FROM scratch\nCOPPY a b\n")
        #expect(misspelled.status == 1)
        #expect(misspelled.stderr.hasPrefix("<stdin>:2:1: error: unknown instruction: COPPY (did you mean COPY?)\n  COPPY a b\n  ^\n"))
        let empty = try MabProcess.run(["parse", "-f", "-"], stdin: "")
        #expect(empty.status == 1)
        #expect(empty.stderr == "<stdin>:1:1: error: the recipe is empty: it needs at least a FROM instruction\n")
        let heredoc = try MabProcess.run(["parse", "-f", "-"], stdin: "FROM scratch\nRUN <<EOF\necho\n")
        #expect(heredoc.status == 1)
        #expect(heredoc.stderr.hasPrefix("<stdin>:2:1: error: unterminated heredoc: no line \"EOF\" ends it\n"))
    }

    @Test func warningsGoToStandardErrorUnlessQuiet() throws {
        let input = "FROM scratch\nMAINTAINER me\n"
        let loud = try MabProcess.run(["parse", "-f", "-"], stdin: input)
        #expect(loud.status == 0)
        #expect(loud.stderr == "<stdin>:2:1: warning: The MAINTAINER instruction is deprecated, use a label instead to define an image author (MaintainerDeprecated)\n")
        let quiet = try MabProcess.run(["parse", "-q", "-f", "-"], stdin: input)
        #expect(quiet.stderr == "")
    }

    @Test func missingRecipeFileIsAClearError() throws {
        let dir = try MabProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try MabProcess.run(["parse", "-f", "nope/Dockerfile"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr == "mab: nope/Dockerfile: no such recipe file (use -f to name another, or -f - for stdin)\n")
        let directory = try MabProcess.run(["parse", "-f", "."], in: dir)
        #expect(directory.stderr == "mab: .: is a directory, not a recipe (pass -f ./Dockerfile)\n")
    }

    @Test func everyExampleRecipeParses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let examples = root.appendingPathComponent("examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted()
        #expect(names.count >= 2)
        for name in names {
            let result = try MabProcess.run(["parse", "-q", "-f", examples.appendingPathComponent("\(name)/Dockerfile").path])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
    }
}
