import Testing

@testable import Recipe

/// Bad recipes: each gets one precise error at the right line and column.
@Suite struct RecipeErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var recipe: String
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty", recipe: "", expected: "Dockerfile:1:1: error: the recipe is empty: it needs at least a FROM instruction"),
        Case(name: "only comments", recipe: "# just\n# comments\n\n", expected: "Dockerfile:3:1: error: file with no instructions"),
        Case(
            name: "no FROM", recipe: "ARG A=1\nARG B\n",
            expected: "Dockerfile:2:1: error: the recipe has no FROM instruction, so there is no build stage"),
        Case(
            name: "instruction before FROM", recipe: "RUN true\nFROM scratch\n",
            expected: "Dockerfile:1:1: error: RUN before the first FROM: only ARG may come before FROM (no build stage in current context)"),
        Case(
            name: "misspelled instruction", recipe: "FROM scratch\n  RUNN echo hi\n",
            expected: "Dockerfile:2:3: error: unknown instruction: RUNN (did you mean RUN?)"),
        Case(
            name: "transposed instruction", recipe: "FRMO scratch\n",
            expected: "Dockerfile:1:1: error: unknown instruction: FRMO (did you mean FROM?)"),
        Case(
            name: "unknown without suggestion", recipe: "FROM scratch\nFROBNICATE x\n",
            expected: "Dockerfile:2:1: error: unknown instruction: FROBNICATE"),
        Case(
            name: "misspelled flag", recipe: "FROM scratch\nCOPY --chwon=1:1 a /b\n",
            expected: "Dockerfile:2:6: error: unknown flag: chwon (for COPY) (did you mean --chown?)"),
        Case(
            name: "flag of another instruction", recipe: "FROM scratch\nADD --from=x a /b\n",
            expected: "Dockerfile:2:5: error: unknown flag: from (for ADD)"),
        Case(
            name: "flag on continuation line", recipe: "FROM scratch\nRUN --network=none \\\n    --mnt=type=cache,target=/c true\n",
            expected: "Dockerfile:3:5: error: unknown flag: mnt (for RUN) (did you mean --mount?)"),
        Case(
            name: "missing flag value", recipe: "FROM scratch\nCOPY --chown a /b\n",
            expected: "Dockerfile:2:6: error: missing a value on flag: chown"),
        Case(
            name: "bad boolean", recipe: "FROM scratch\nCOPY --link=yes a /b\n",
            expected: "Dockerfile:2:6: error: expecting boolean value for flag link, not: yes"),
        Case(
            name: "duplicate flag", recipe: "FROM scratch\nCOPY --from=a --from=b x /y\n",
            expected: "Dockerfile:2:6: error: duplicate flag specified: from"),
        Case(
            name: "bad network", recipe: "FROM scratch\nRUN --network=bridge true\n",
            expected: "Dockerfile:2:5: error: invalid value \"bridge\" for --network: use default, none or host"),
        Case(
            name: "bad mount type", recipe: "FROM scratch\nRUN --mount=type=cahce,target=/c true\n",
            expected: "Dockerfile:2:5: error: invalid --mount: unsupported mount type \"cahce\" (did you mean cache?)"),
        Case(
            name: "bad mount key", recipe: "FROM scratch\nRUN --mount=type=cache,traget=/c true\n",
            expected: "Dockerfile:2:5: error: invalid --mount: unexpected key 'traget' in 'traget=/c' (did you mean target?)"),
        Case(
            name: "sharing on a bind mount", recipe: "FROM scratch\nRUN --mount=type=bind,target=/c,sharing=locked true\n",
            expected: "Dockerfile:2:5: error: invalid --mount: invalid cache sharing set for bind mount"),
        Case(
            name: "secret mount with nothing to name it", recipe: "FROM scratch\nRUN --mount=type=secret true\n",
            expected: "Dockerfile:2:5: error: invalid --mount: invalid secret mount: one of id, source, target or env required"),
        Case(
            name: "unterminated heredoc", recipe: "FROM scratch\nRUN <<EOF\necho hi\nEOFX\n",
            expected: "Dockerfile:2:1: error: unterminated heredoc: no line \"EOF\" ends it"),
        Case(
            name: "unterminated quote in ENV", recipe: "FROM scratch\nENV A=\"unclosed\n",
            expected: "Dockerfile:2:1: error: ENV: failed to process \"\\\"unclosed\": unexpected end of statement while looking for matching double-quote"),
        Case(
            name: "unterminated quote in LABEL", recipe: "FROM scratch\nLABEL a='b\n",
            expected: "Dockerfile:2:1: error: LABEL: failed to process \"'b\": unexpected end of statement while looking for matching single-quote"),
        Case(
            name: "unterminated quote in ARG", recipe: "FROM scratch\nARG V=\"x\n",
            expected: "Dockerfile:2:1: error: ARG: failed to process \"\\\"x\": unexpected end of statement while looking for matching double-quote"),
        Case(
            name: "bad substitution", recipe: "FROM scratch\nWORKDIR /a/${}\n",
            expected: "Dockerfile:2:1: error: WORKDIR: failed to process \"/a/${}\": syntax error: bad substitution"),
        Case(
            name: "ENV without value", recipe: "FROM scratch\nENV PATH\n",
            expected: "Dockerfile:2:1: error: ENV must have two arguments"),
        Case(
            name: "ENV pair without equals", recipe: "FROM scratch\nENV a=1 b\n",
            expected: "Dockerfile:2:1: error: Syntax error - can't find = in \"b\". Must be of the form: name=value"),
        Case(
            name: "COPY without destination", recipe: "FROM scratch\nCOPY onlyone\n",
            expected: "Dockerfile:2:1: error: COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        Case(
            name: "heredoc as destination", recipe: "FROM scratch\nCOPY a <<EOF\nx\nEOF\n",
            expected: "Dockerfile:2:1: error: COPY cannot accept a heredoc as a destination"),
        Case(
            name: "FROM with two arguments", recipe: "FROM a b\n",
            expected: "Dockerfile:1:1: error: FROM requires either one or three arguments"),
        Case(
            name: "bad stage name", recipe: "FROM scratch AS 1st\n",
            expected: "Dockerfile:1:17: error: invalid name for build stage: \"1st\", name can't start with a number or contain symbols"),
        Case(
            name: "nested JSON", recipe: "FROM scratch\nCMD [\"a\", [\"b\"]]\n",
            expected: "Dockerfile:2:1: error: when using JSON array syntax, arrays must be comprised of strings only"),
        Case(
            name: "ONBUILD chain", recipe: "FROM scratch\nONBUILD ONBUILD RUN x\n",
            expected: "Dockerfile:2:1: error: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        Case(
            name: "ONBUILD FROM", recipe: "FROM scratch\nONBUILD FROM x\n",
            expected: "Dockerfile:2:1: error: FROM isn't allowed as an ONBUILD trigger"),
        Case(
            name: "ONBUILD trigger checked", recipe: "FROM scratch\nONBUILD COPY --bogus a b\n",
            expected: "Dockerfile:2:14: error: unknown flag: bogus (for COPY)"),
        Case(
            name: "HEALTHCHECK NONE with arguments", recipe: "FROM scratch\nHEALTHCHECK NONE x\n",
            expected: "Dockerfile:2:1: error: HEALTHCHECK NONE takes no arguments"),
        Case(
            name: "HEALTHCHECK unknown type", recipe: "FROM scratch\nHEALTHCHECK CONNECT TCP 7000\n",
            expected: "Dockerfile:2:1: error: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)"),
        Case(
            name: "HEALTHCHECK bad interval", recipe: "FROM scratch\nHEALTHCHECK --interval=5 CMD true\n",
            expected: "Dockerfile:2:13: error: invalid duration \"5\" for --interval"),
        Case(
            name: "HEALTHCHECK short interval", recipe: "FROM scratch\nHEALTHCHECK --interval=10us CMD true\n",
            expected: "Dockerfile:2:13: error: Interval \"interval\" cannot be less than 1ms"),
        Case(
            name: "SHELL not JSON", recipe: "FROM scratch\nSHELL /bin/bash -c\n",
            expected: "Dockerfile:2:1: error: SHELL requires the arguments to be in JSON form"),
        Case(
            name: "WORKDIR two arguments", recipe: "FROM scratch\nWORKDIR\n",
            expected: "Dockerfile:2:1: error: WORKDIR requires exactly one argument"),
        Case(
            name: "bad port", recipe: "FROM scratch\nEXPOSE 80/tcpx\n",
            expected: "Dockerfile:2:8: error: invalid value \"80/tcpx\" for --port: the protocol must be tcp, udp or sctp"),
        Case(
            name: "bad signal", recipe: "FROM scratch\nSTOPSIGNAL SIGFOO\n",
            expected: "Dockerfile:2:12: error: invalid value \"SIGFOO\" for --signal: STOPSIGNAL takes a signal name (SIGTERM) or number (15)"),
        Case(
            name: "bad chmod", recipe: "FROM scratch\nCOPY --chmod=999 a /b\n",
            expected: "Dockerfile:2:6: error: invalid value \"999\" for --chmod: use an octal mode such as 0755 or a symbolic one such as u+x"),
        Case(
            name: "bad checksum", recipe: "FROM scratch\nADD --checksum=md5:abc https://example.invalid/x /x\n",
            expected: "Dockerfile:2:5: error: invalid value \"md5:abc\" for --checksum: use ALGORITHM:HEX, e.g. sha256:<64 hex digits>"),
        Case(
            name: "bad exclude", recipe: "FROM scratch\nCOPY --exclude=[a a /b\n",
            expected: "Dockerfile:2:6: error: invalid --exclude pattern \"[a\""),
        Case(
            name: "invalid escape directive", recipe: "# escape=x\nFROM scratch\n",
            expected: "Dockerfile:1:1: error: invalid escape token 'x' does not match ` or \\"),
        Case(
            name: "duplicate directive", recipe: "# syntax=a\n# syntax=b\nFROM scratch\n",
            expected: "Dockerfile:2:1: error: only one syntax parser directive can be used"),
        Case(
            name: "bad check directive", recipe: "# check=skip=A;fail=true\nFROM scratch\n",
            expected: "Dockerfile:1:1: error: invalid check directive: unknown key \"fail\" (expected skip, error or experimental)"),
        Case(
            name: "blank ARG name", recipe: "ARG =x\nFROM scratch\n",
            expected: "Dockerfile:1:1: error: ARG names can not be blank"),
    ]

    @Test(arguments: cases)
    func rejectsWithPreciseError(_ c: Case) {
        do {
            let recipe = try RecipeParser.parse(c.recipe, file: "Dockerfile")
            Issue.record("accepted: \(recipe.stages.count) stages")
        } catch {
            #expect(error.description == c.expected)
        }
    }
}
