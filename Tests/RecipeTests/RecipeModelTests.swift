import Testing

@testable import Recipe

/// What a valid recipe turns into: stages, typed instructions, heredocs, ranges, warnings.
@Suite struct RecipeModelTests {
    @Test func heredocsSeveralOnOneLineChompedAndQuoted() throws {
        let text = """
            FROM scratch
            COPY <<FILE1 <<FILE2 /dest/
            content 1
            FILE1
            content 2
            FILE2
            RUN cat <<-"EOT" | sh
            \techo $HOME
            \tEOT
            RUN <<EOF bash
            echo hi
            EOF
            RUN 3<<EOF cat /dev/fd/3

            EOF

            """
        let recipe = try RecipeParser.parse(text, file: "Dockerfile")
        let steps = recipe.stages[0].instructions
        #expect(steps.count == 4)
        guard case .copy(let copy) = steps[0].body else { Issue.record("not COPY"); return }
        #expect(copy.sources == [])
        #expect(copy.destination == "/dest/")
        #expect(copy.inlineSources == [
            InlineSource(path: "FILE1", data: "content 1\n", expand: true),
            InlineSource(path: "FILE2", data: "content 2\n", expand: true),
        ])
        #expect(steps[0].range == SourceRange(start: SourcePosition(line: 2, column: 1), end: SourcePosition(line: 6, column: 5)))

        guard case .run(let run) = steps[1].body else { Issue.record("not RUN"); return }
        #expect(run.command.arguments == ["cat <<-\"EOT\" | sh"])
        #expect(run.command.prependShell)
        #expect(run.command.heredocs.count == 1)
        let doc = run.command.heredocs[0]
        #expect(doc.name == "EOT")
        #expect(doc.chomp && !doc.expand)
        #expect(doc.content == "\techo $HOME\n")
        #expect(doc.effectiveContent == "echo $HOME\n")
        #expect(doc.startLine == 8 && doc.endLine == 8)

        guard case .run(let second) = steps[2].body else { Issue.record("not RUN"); return }
        #expect(second.command.arguments == ["<<EOF bash"])
        #expect(second.command.heredocs.map(\.content) == ["echo hi\n"])

        guard case .run(let third) = steps[3].body else { Issue.record("not RUN"); return }
        #expect(third.command.heredocs.map(\.fileDescriptor) == [3])
        #expect(third.command.heredocs.map(\.content) == ["\n"])
    }

    @Test func heredocWithCRLFKeepsLineEndingsAndMatchesTerminator() throws {
        let recipe = try RecipeParser.parse("FROM scratch\r\nRUN <<EOF\r\nset -e\r\nEOF\r\n", file: "Dockerfile")
        guard case .run(let run) = recipe.stages[0].instructions[0].body else { Issue.record("not RUN"); return }
        #expect(run.command.heredocs.map(\.content) == ["set -e\r\n"])
    }

    @Test func heredocsAreNotParsedInExecForm() throws {
        let tree = try SyntaxParser.parse("FROM scratch\nRUN [\"echo\", \"<<EOF\"]\nRUN echo after\n", file: "Dockerfile")
        #expect(tree.nodes.count == 3)
        #expect(tree.nodes[1].heredocs.isEmpty)
    }

    @Test func backtickEscapeDirective() throws {
        let text = "# escape=`\nFROM scratch\nRUN echo a `\n    b\nCOPY a\\b c:\\d\n"
        let tree = try SyntaxParser.parse(text, file: "Dockerfile")
        #expect(tree.escapeToken == "`")
        #expect(tree.dump() == "(from \"scratch\")\n(run \"echo a     b\")\n(copy \"a\\\\b\" \"c:\\\\d\")\n")
    }

    @Test func directivesAfterCommentOrBlankAreComments() throws {
        let tree = try SyntaxParser.parse("\n# escape=`\nFROM scratch\nRUN a \\\n b\n", file: "Dockerfile")
        #expect(tree.directives.isEmpty)
        #expect(tree.dump() == "(from \"scratch\")\n(run \"a  b\")\n")
    }

    @Test func continuationWithCommentsAndBlankLinesWarns() throws {
        let text = "FROM scratch\nRUN echo a \\\n# inside\n\n    b\n"
        let recipe = try RecipeParser.parse(text, file: "Dockerfile")
        #expect(recipe.stages[0].instructions[0].original == "RUN echo a     b")
        #expect(recipe.warnings.map(\.rule) == ["NoEmptyContinuation"])
        #expect(recipe.warnings[0].range.start == SourcePosition(line: 2, column: 1))
    }

    @Test func stagesArgsAndComments() throws {
        let text = """
            # syntax=docker/dockerfile:1
            ARG BASE=alpine
            # VERSION the release to build
            ARG VERSION
            # build compiles everything
            FROM --platform=$BUILDPLATFORM ${BASE} AS Build
            RUN make
            FROM scratch
            COPY --from=build /out /

            """
        let recipe = try RecipeParser.parse(text, file: "r")
        #expect(recipe.syntaxDirective == "docker/dockerfile:1")
        #expect(recipe.globalArgs.count == 2)
        guard case .arg(let args) = recipe.globalArgs[1].body else { Issue.record("not ARG"); return }
        #expect(args == [ArgDeclaration(key: "VERSION", defaultValue: nil, comment: "the release to build")])
        #expect(recipe.stages.map(\.name) == ["build", nil])
        #expect(recipe.stages.map(\.index) == [0, 1])
        #expect(recipe.stages[0].platform == "$BUILDPLATFORM")
        #expect(recipe.stages[0].baseName == "${BASE}")
        #expect(recipe.stages[0].comment == "compiles everything")
        #expect(recipe.warnings.map(\.rule) == ["StageNameCasing"])
        guard case .copy(let copy) = recipe.stages[1].instructions[0].body else { Issue.record("not COPY"); return }
        #expect(copy.from == "build")
    }

    @Test func mountsNetworkAndSecurity() throws {
        let text = """
            FROM scratch
            RUN --mount=type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0755,uid=1000 \\
                --mount=type=bind,from=build,source=/out,target=/in \\
                --mount=type=secret,id=token,env=TOKEN,required \\
                --mount=type=tmpfs,target=/tmp,size=64m \\
                --mount=target=/ctx,rw \\
                --network=none --security=insecure make

            """
        let recipe = try RecipeParser.parse(text, file: "Dockerfile")
        guard case .run(let run) = recipe.stages[0].instructions[0].body else { Issue.record("not RUN"); return }
        #expect(run.network == RunInstruction.Network.none)
        #expect(run.security == .insecure)
        #expect(run.command.arguments == ["make"])
        #expect(run.mounts.count == 5)
        var cache = MountSpec()
        cache.type = .cache
        cache.target = "/root/.cache"
        cache.id = "pip"
        cache.sharing = .locked
        cache.mode = 0o755
        cache.uid = 1000
        cache.readOnly = false
        #expect(run.mounts[0] == cache)
        #expect(run.mounts[1].type == .bind && run.mounts[1].readOnly && run.mounts[1].from == "build")
        #expect(run.mounts[2].type == .secret && run.mounts[2].required && run.mounts[2].env == "TOKEN")
        #expect(run.mounts[3].size == 64 * 1024 * 1024 && !run.mounts[3].readOnly)
        #expect(run.mounts[4].type == .bind && !run.mounts[4].readOnly)
    }

    @Test func copyAndAddFlags() throws {
        let text = """
            FROM scratch
            COPY --from=0 --chown=app:app --chmod=u+x,g-w --link --parents --exclude=*.tmp --exclude=.git ./a ./b /dst/
            ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d --keep-git-dir=true --unpack=false https://example.invalid/a.tar.gz /x
            COPY ["a b", "/c d/"]

            """
        let recipe = try RecipeParser.parse(text, file: "Dockerfile")
        let steps = recipe.stages[0].instructions
        guard case .copy(let copy) = steps[0].body, case .add(let add) = steps[1].body, case .copy(let json) = steps[2].body
        else { Issue.record("wrong kinds"); return }
        #expect(copy.sources == ["./a", "./b"] && copy.destination == "/dst/")
        #expect(copy.from == "0" && copy.chown == "app:app" && copy.chmod == "u+x,g-w")
        #expect(copy.link && copy.parents && copy.exclude == ["*.tmp", ".git"])
        #expect(add.checksum?.hasPrefix("sha256:24454f") == true && add.keepGitDir && add.unpack == false)
        #expect(json.sources == ["a b"] && json.destination == "/c d/")
    }

    @Test func shellFormsHealthcheckOnbuildAndWarnings() throws {
        let text = """
            FROM scratch
            MAINTAINER someone
            CMD echo hi
            ENTRYPOINT ["/bin/app"]
            SHELL ["/bin/sh", "-eu", "-c"]
            HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=2s --start-interval=1s --retries=4 CMD curl -f http://localhost/
            ONBUILD RUN echo triggered
            ENV legacy value with spaces
            HEALTHCHECK NONE

            """
        let recipe = try RecipeParser.parse(text, file: "Dockerfile")
        let steps = recipe.stages[0].instructions
        guard case .cmd(let cmd) = steps[1].body, case .entrypoint(let ep) = steps[2].body,
            case .shell(let shell) = steps[3].body, case .healthcheck(let health) = steps[4].body,
            case .onbuild(let expression, let trigger) = steps[5].body, case .env(let env) = steps[6].body,
            case .healthcheck(let none) = steps[7].body
        else { Issue.record("wrong kinds"); return }
        #expect(cmd == CommandSpec(arguments: ["echo hi"], prependShell: true))
        #expect(ep == CommandSpec(arguments: ["/bin/app"], prependShell: false))
        #expect(shell == ["/bin/sh", "-eu", "-c"])
        #expect(health == Healthcheck(
            test: ["CMD-SHELL", "curl -f http://localhost/"], interval: 90_000_000_000, timeout: 500_000_000,
            startPeriod: 2_000_000_000, startInterval: 1_000_000_000, retries: 4))
        #expect(expression == "RUN echo triggered")
        #expect(trigger.body == .run(RunInstruction(command: CommandSpec(arguments: ["echo triggered"], prependShell: true))))
        #expect(env == [KeyValue(key: "legacy", value: "value with spaces")])
        #expect(none.test == ["NONE"])
        #expect(recipe.warnings.map(\.rule) == [
            "MaintainerDeprecated", "JSONArgsRecommended", "LegacyKeyValueFormat", "MultipleInstructionsDisallowed",
        ])
    }

    @Test func unterminatedJSONFallsBackToShellFormLikeBuildKit() throws {
        let recipe = try RecipeParser.parse("FROM scratch\nCMD [\"echo\", \"x\"\n", file: "Dockerfile")
        guard case .cmd(let cmd) = recipe.stages[0].instructions[0].body else { Issue.record("not CMD"); return }
        #expect(cmd == CommandSpec(arguments: ["[\"echo\", \"x\""], prependShell: true))
    }

    @Test func byteOrderMarkAndCase() throws {
        let tree = try SyntaxParser.parse([0xEF, 0xBB, 0xBF] + Array("from scratch\nRun echo\n".utf8), file: "D")
        #expect(tree.dump() == "(from \"scratch\")\n(run \"echo\")\n")
    }

    @Test func unicodeIsQuotedLikeGo() throws {
        let tree = try SyntaxParser.parse("FROM scratch\nLABEL k=\"한국어\\t\u{7F}\u{A0}\"\n", file: "D")
        #expect(tree.dump() == "(from \"scratch\")\n(label \"k\" \"\\\"한국어\\\\t\\x7f\\u00a0\\\"\" \"=\")\n")
    }
}
