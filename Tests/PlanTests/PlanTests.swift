import Foundation
import Testing

@testable import OCI
@testable import Plan
@testable import Recipe

/// `mab plan` for the recipes in `recipes/`, pinned for one and two platforms, and the
/// properties of cache keys.
@Suite struct PlanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let expected = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected")

    static func request(_ name: String, context: String? = nil, platforms: [Platform], target: String? = nil, buildArgs: [String: String] = [:]) throws -> BuildRequest {
        let dir = context ?? root.appendingPathComponent("recipes/\(name)").path
        let text = try String(contentsOfFile: dir + "/Dockerfile", encoding: .utf8)
        let recipe = try RecipeParser.parse(text, file: "recipes/\(name)/Dockerfile")
        let ignoreText = try? String(contentsOfFile: dir + "/.dockerignore", encoding: .utf8)
        return BuildRequest(
            recipe: recipe, contextDirectory: dir, platforms: platforms, target: target, buildArgs: buildArgs,
            buildPlatform: .linuxAMD64, ignore: try ignoreText.map { try IgnoreMatcher(fileContents: $0) })
    }

    @Test(arguments: ["go-cross", "three-stage", "pruned"], [1, 2])
    func planIsPinned(_ name: String, _ count: Int) throws {
        let platforms = Array([Platform.linuxAMD64, .linuxARM64].prefix(count))
        let text = PlanRenderer.text(try Planner.plan(try Self.request(name, platforms: platforms)))
        let file = Self.expected.appendingPathComponent("\(name)-\(count).txt")
        if ProcessInfo.processInfo.environment["MAB_UPDATE_GOLDEN"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOf: file, encoding: .utf8)))
    }

    @Test func crossCompileSharesNothingButThreeStageSharesAssets() throws {
        let go = try Planner.plan(try Self.request("go-cross", platforms: [.linuxAMD64, .linuxARM64]))
        // The build stage reads TARGETARCH, so each target gets its own native build.
        #expect(go.vertices.filter { $0.stage == "build" }.map(\.native) == [true, true])
        #expect(go.vertices.filter { $0.stage == "build" }.allSatisfy { $0.platform == .linuxAMD64 })
        #expect(go.vertices.first { $0.stage == "1" && $0.platform == .linuxARM64 }?.native == false)
        let three = try Planner.plan(try Self.request("three-stage", platforms: [.linuxAMD64, .linuxARM64]))
        let assets = three.vertices.filter { $0.stage == "assets" }
        #expect(assets.count == 1)
        #expect(assets.first?.targets == [.linuxAMD64, .linuxARM64])
        let pruned = try Planner.plan(try Self.request("pruned", platforms: [.linuxAMD64]))
        #expect(pruned.pruned.map(\.stage) == ["docs", "tests"])
    }

    /// Copies a recipe's context to a new directory with the given mtime on every file.
    func clone(_ name: String, mtime: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-plan-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.root.appendingPathComponent("recipes/\(name)").path, toPath: dir)
        let date = Date(timeIntervalSince1970: TimeInterval(mtime))
        for rel in FileManager.default.subpaths(atPath: dir) ?? [] {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: dir + "/" + rel)
        }
        return dir
    }

    @Test func cacheKeysIgnorePathsAndMtimesButSeeOneByte() throws {
        let a = try clone("go-cross", mtime: 1_600_000_000)
        let b = try clone("go-cross", mtime: 1_800_000_000)
        defer {
            try? FileManager.default.removeItem(atPath: a)
            try? FileManager.default.removeItem(atPath: b)
        }
        func keys(_ dir: String) throws -> [String] {
            try Planner.plan(try Self.request("go-cross", context: dir, platforms: [.linuxAMD64, .linuxARM64])).vertices.flatMap { $0.steps.map(\.cacheKey) }
        }
        let ka = try keys(a), kb = try keys(b)
        #expect(ka == kb)
        // One byte of an input file changes the COPY step and everything after it, nothing before.
        let main = b + "/main.go"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: main))
        bytes[bytes.count - 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: main))
        let changed = try Planner.plan(try Self.request("go-cross", context: b, platforms: [.linuxAMD64]))
        let original = try Planner.plan(try Self.request("go-cross", context: a, platforms: [.linuxAMD64]))
        let before = original.vertices.first { $0.stage == "build" }!.steps, after = changed.vertices.first { $0.stage == "build" }!.steps
        let copyIndex = before.firstIndex { $0.instruction.hasPrefix("COPY go.mod") }!
        #expect(Array(before.prefix(copyIndex).map(\.cacheKey)) == Array(after.prefix(copyIndex).map(\.cacheKey)))
        #expect(zip(before.suffix(from: copyIndex), after.suffix(from: copyIndex)).allSatisfy { $0.cacheKey != $1.cacheKey })
        #expect(original.vertices.last!.cacheKey != changed.vertices.last!.cacheKey)
    }

    /// A plan that only schedules BuildKit keys sources by name and never reads the context:
    /// the same steps and lines, a missing file is BuildKit's to report.
    @Test func withoutContentKeysTheContextIsNotRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-nokeys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try RecipeParser.parse("FROM scratch\nCOPY missing.txt /\nRUN --mount=type=bind,source=gone,target=/g true\n", file: "Dockerfile")
        var request = BuildRequest(recipe: recipe, contextDirectory: dir, platforms: [.linuxAMD64], buildPlatform: .linuxAMD64)
        #expect(throws: PlanError.self) { try Planner.plan(request) }
        request.contentKeys = false
        let plan = try Planner.plan(request)
        let steps = try #require(plan.vertices.last?.steps)
        #expect(steps.map(\.line) == [1, 2, 3])
        #expect(steps[1].inputs == ["context:missing.txt"])
        #expect(steps[2].inputs.contains("mount:gone"), "\(steps[2].inputs)")
    }

    @Test func buildArgsChangeKeysAndUnusedOnesWarn() throws {
        let plain = try Planner.plan(try Self.request("three-stage", platforms: [.linuxAMD64]))
        let other = try Planner.plan(try Self.request("three-stage", platforms: [.linuxAMD64], buildArgs: ["VERSION": "2.0.0", "NOPE": "x"]))
        #expect(plain.vertices.last!.cacheKey != other.vertices.last!.cacheKey)
        #expect(other.vertices.last!.steps.contains { $0.instruction == "LABEL org.opencontainers.image.version=2.0.0" })
        #expect(other.warnings.map(\.message) == ["One or more build-args [NOPE] were not consumed"])
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var recipe: String
        var message: String
        var platforms: [Platform] = [.linuxAMD64]
        var target: String? = nil
        var testDescription: String { message }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(recipe: "FROM scratch AS a\nCOPY --from=b /x /x\nFROM scratch AS b\n",
                  message: "recipes/x/Dockerfile:2:1: error: cannot copy from stage \"b\", it needs to be defined before current stage \"a\""),
        ErrorCase(recipe: "ARG X\nFROM ${X}\n", message: "recipes/x/Dockerfile:2:1: error: base name (${X}) should not be blank"),
        ErrorCase(recipe: "FROM x AS x\n", message: "recipes/x/Dockerfile:1:1: error: circular dependency detected on stage: x"),
        ErrorCase(recipe: "FROM scratch\nCOPY missing.txt /\n",
                  message: "recipes/x/Dockerfile:2:1: error: COPY failed: \"missing.txt\" not found in the build context"),
        ErrorCase(recipe: "FROM scratch AS a\n", message: "target stage \"nope\" could not be found (stages: a)", target: "nope"),
        ErrorCase(recipe: "FROM scratch\n", message: "platform linux/s390x cannot be built: mab builds linux/amd64 and linux/arm64 (natively, or the other one under qemu-user emulation)",
                  platforms: [try! Platform(parsing: "linux/s390x")]),
    ]

    @Test(arguments: errorCases)
    func planningErrorsPointAtTheRecipe(_ c: ErrorCase) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try RecipeParser.parse(c.recipe, file: "recipes/x/Dockerfile")
        let request = BuildRequest(recipe: recipe, contextDirectory: dir, platforms: c.platforms, target: c.target, buildPlatform: .linuxAMD64)
        #expect(throws: PlanError.self) { try Planner.plan(request) }
        do { _ = try Planner.plan(request) } catch let error as PlanError { #expect(error.description == c.message) }
    }

    /// As BuildKit: a number is a stage in COPY --from, an image name in FROM; a stage built
    /// on another carries on its ARGs; one ENV's pairs all see the variables from before it.
    @Test func stageNumbersArgsAndEnvAsBuildKitScopesThem() throws {
        let recipe = try RecipeParser.parse("FROM scratch AS s\nARG A=1\nENV B=$A C=x D=$C\nFROM 0 AS zero\nCOPY --from=0 /x /x\nFROM s\nRUN echo\n", file: "D")
        let zero = try Planner.plan(BuildRequest(recipe: recipe, contextDirectory: nil, platforms: [.linuxAMD64], target: "zero", buildPlatform: .linuxAMD64))
        #expect(zero.vertices.map { "\($0.stage) \($0.base)" } == ["s scratch", "zero 0"])
        let plan = try Planner.plan(BuildRequest(recipe: recipe, contextDirectory: nil, platforms: [.linuxAMD64], buildPlatform: .linuxAMD64))
        #expect(plan.vertices.map { "\($0.base)" } == ["scratch", "stage 0"])
        #expect(plan.vertices[0].steps.map(\.instruction) == ["FROM scratch", "ARG A=1", "ENV B=1 C=x D="])
        let run = try #require(plan.vertices.last?.steps.last)
        #expect(run.argsInScope == ["A=1"])
        if case .run(_, _, let args, _, _, _, _) = run.action { #expect(args == ["A": "1"]) } else { Issue.record("not a RUN") }
    }

    @Test func duplicateStageNamesWarn() throws {
        let recipe = try RecipeParser.parse("FROM scratch AS a\nFROM scratch AS a\n", file: "D")
        let plan = try Planner.plan(BuildRequest(recipe: recipe, contextDirectory: nil, platforms: [.linuxAMD64], buildPlatform: .linuxAMD64))
        #expect(plan.warnings.map(\.rule) == ["DuplicateStageName"])
    }
}

extension PlanTests {
    @Test func persistedHashCacheNeverGoesStale() throws {
        let dir = try clone("go-cross", mtime: 1_700_000_000)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("mab-home-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: home)
        }
        func plan() throws -> BuildPlan {
            var r = try Self.request("go-cross", context: dir, platforms: [.linuxAMD64])
            r.hashCache = HashCache(storeRoot: home, contextDirectory: dir)
            return try Planner.plan(r)
        }
        let first = try plan()
        let cacheFiles = try FileManager.default.contentsOfDirectory(atPath: home + "/hash-cache")
        #expect(cacheFiles.count == 1)
        let again = try plan()
        #expect(again.vertices.map(\.cacheKey) == first.vertices.map(\.cacheKey))
        // Same size, new content: the stamp (mtime) changes, so the file is hashed again.
        let main = dir + "/main.go"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: main))
        bytes[0] = bytes[0] == 0x70 ? 0x71 : 0x70
        try bytes.write(to: URL(fileURLWithPath: main))
        let changed = try plan()
        #expect(changed.vertices.last!.cacheKey != first.vertices.last!.cacheKey)
    }
}

extension PlanTests {
    @Test func namedDirectoryContextsReplaceStagesAndAreHashed() throws {
        let extra = FileManager.default.temporaryDirectory.appendingPathComponent("mab-named-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: extra, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: extra) }
        try "v1".write(toFile: extra + "/config.txt", atomically: true, encoding: .utf8)
        let recipe = try RecipeParser.parse("FROM scratch AS conf\nFROM scratch\nCOPY --from=conf config.txt /etc/\n", file: "D")
        func plan() throws -> BuildPlan {
            try Planner.plan(BuildRequest(
                recipe: recipe, contextDirectory: nil, platforms: [.linuxAMD64],
                buildContexts: ["conf": .directory(extra)], buildPlatform: .linuxAMD64))
        }
        // A stage named like the context still wins for COPY --from (it is defined earlier).
        #expect(try plan().vertices.count == 2)
        let recipe2 = try RecipeParser.parse("FROM scratch\nCOPY --from=conf config.txt /etc/\n", file: "D")
        func plan2() throws -> BuildPlan {
            try Planner.plan(BuildRequest(
                recipe: recipe2, contextDirectory: nil, platforms: [.linuxAMD64],
                buildContexts: ["conf": .directory(extra)], buildPlatform: .linuxAMD64))
        }
        let first = try plan2()
        #expect(first.vertices[0].steps[1].inputs.first?.hasPrefix("context[conf]:config.txt@sha256:") == true)
        try "v2".write(toFile: extra + "/config.txt", atomically: true, encoding: .utf8)
        #expect(try plan2().vertices[0].cacheKey != first.vertices[0].cacheKey)
        let missing = try RecipeParser.parse("FROM scratch\nCOPY --from=conf nope /x\n", file: "D")
        #expect(throws: PlanError.self) {
            try Planner.plan(BuildRequest(recipe: missing, contextDirectory: nil, platforms: [.linuxAMD64], buildContexts: ["conf": .directory(extra)], buildPlatform: .linuxAMD64))
        }
    }
}

extension PlanTests {
    @Test func stepsCarryExpandedActionsForTheExecutor() throws {
        let plan = try Planner.plan(try Self.request("go-cross", platforms: [.linuxARM64]))
        let build = try #require(plan.vertices.first { $0.stage == "build" })
        guard case .run(let command, let shellForm, let args, _, _, let mounts, _) = build.steps.last!.action else {
            Issue.record("last build step is not RUN"); return
        }
        #expect(shellForm)
        #expect(command.count == 1 && command[0].hasPrefix("echo \"GOOS=${TARGETOS}"))
        #expect(args == ["TARGETOS": "linux", "TARGETARCH": "arm64"])
        #expect(mounts.map(\.spec.target) == ["/root/.cache"] && mounts.map(\.source) == [nil])
        let final = try #require(plan.vertices.first { $0.stage == "1" })
        guard case .copy(let copy) = final.steps[1].action else { Issue.record("not COPY"); return }
        #expect(copy.from == .stage(build.id))
        #expect(copy.sources == ["/out/app"] && copy.destination == "/usr/local/bin/app")
        guard case .config(let kw, let values, let shell) = final.steps.last!.action else { Issue.record("not config"); return }
        #expect(kw == "ENTRYPOINT" && values == ["/usr/local/bin/app"] && !shell)
        guard case .copy(let ctx) = build.steps[3].action else { Issue.record("not COPY"); return }
        #expect(ctx.from == .context && ctx.sources == ["go.mod", "main.go"] && ctx.destination == "./")
    }
}

extension PlanTests {
    /// `$VAR` in a stage expands to the base image's ENV (once the image is in the store),
    /// and every stage has a PATH: the default when its image has none, as in BuildKit.
    @Test func baseImageEnvironmentExpands() throws {
        let recipe = try RecipeParser.parse("""
            FROM img AS a
            ENV PATH=/opt/tool/bin:$PATH GREETING="$HELLO world"
            FROM scratch
            ENV PATH=/x:$PATH
            FROM bare
            ENV P=$PATH

            """, file: "D")
        var request = BuildRequest(recipe: recipe, contextDirectory: nil, platforms: [.linuxAMD64], buildPlatform: .linuxAMD64)
        request.baseImageConfig = { ref, _ in ref == "img" ? ContainerConfig(env: ["PATH=/bin", "HELLO=hi"]) : nil }
        request.target = "a"
        let a = try Planner.plan(request)
        guard case .config(_, let values, _) = try #require(a.vertices.last?.steps.last).action else { Issue.record("not ENV"); return }
        #expect(values == ["PATH=/opt/tool/bin:/bin", "GREETING=hi world"])
        for (stage, expected) in [("1", "PATH=/x:\(ContainerConfig.defaultPath)"), ("2", "P=\(ContainerConfig.defaultPath)")] {
            request.target = stage
            let plan = try Planner.plan(request)
            guard case .config(_, let v, _) = try #require(plan.vertices.last?.steps.last).action else { Issue.record("not ENV"); continue }
            #expect(v == [expected], "stage \(stage)")
        }
    }
}
