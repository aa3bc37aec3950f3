import OCI
import Recipe

/// Turns a recipe and the user's choices into a BuildPlan, as BuildKit's Dockerfile
/// frontend would resolve it: stage graph, target pruning, ARG/ENV scoping, automatic
/// platform ARGs, shared build-platform stages, and content-addressed cache keys.
public final class Planner {
    let request: BuildRequest
    let recipe: Recipe
    let lexer: ShellLexer
    var hasher: ContextHasher?
    var namedHashers: [String: ContextHasher] = [:]
    var stageIndexByName: [String: Int] = [:]
    var globalArgs: [String: String] = [:]
    var usedBuildArgs = Set<String>()
    var warnings: [RecipeWarning] = []
    /// (stage, target platform) → planned vertex.
    var memo: [String: PlanVertex] = [:]
    /// (stage, target platform) → ENV and ARGs at the end of the stage (a stage based on it inherits them).
    var finalState: [String: StageState] = [:]
    /// Per planned stage: the ONBUILD triggers its own instructions added (a stage used as
    /// another's base runs them there).
    var finalOnBuild: [String: [String]] = [:]
    var order: [String] = []
    var reached = Set<Int>()

    public static let supportedArchitectures = ["amd64", "arm64"]

    public init(_ request: BuildRequest) {
        self.request = request
        self.recipe = request.recipe
        self.lexer = ShellLexer(escapeToken: Unicode.Scalar(recipe.escapeToken) ?? "\\")
        if let dir = request.contextDirectory { hasher = ContextHasher(root: dir, ignore: request.ignore, cache: request.hashCache) }
    }

    public static func plan(_ request: BuildRequest) throws -> BuildPlan {
        let plan = try Planner(request).run()
        request.hashCache?.save()
        return plan
    }

    func fail(_ range: SourceRange?, _ message: String) -> PlanError {
        PlanError(file: recipe.file, range: range, message)
    }

    func expand(_ word: String, _ vars: [String: String], at range: SourceRange) throws -> String {
        do {
            return try lexer.expand(word, environment: vars)
        } catch {
            throw fail(range, "\(error)")
        }
    }

    func run() throws -> BuildPlan {
        for p in request.platforms where p.os != "linux" || !Self.supportedArchitectures.contains(p.architecture) {
            throw PlanError("platform \(p) cannot be built: mab builds linux/amd64 and linux/arm64 (natively, or the other one under qemu-user emulation)")
        }
        guard !request.platforms.isEmpty else { throw PlanError("no platform to build") }
        for stage in recipe.stages {
            if let name = stage.name {
                if stageIndexByName[name] != nil {
                    warnings.append(RecipeWarning(rule: "DuplicateStageName", message: "Duplicate stage name \"\(name)\", stage names should be unique", range: stage.range))
                } else {
                    stageIndexByName[name] = stage.index
                }
            }
        }
        // Global ARGs: usable in FROM lines (and re-declared ARGs) only.
        for instruction in recipe.globalArgs {
            guard case .arg(let decls) = instruction.body else { continue }
            for decl in decls {
                if let v = request.buildArgs[decl.key] {
                    globalArgs[decl.key] = v
                    usedBuildArgs.insert(decl.key)
                } else if let d = decl.defaultValue {
                    globalArgs[decl.key] = try expand(d, globalArgs.merging(PlatformArgs.values(target: request.platforms[0], build: request.buildPlatform)) { a, _ in a }, at: instruction.range)
                } else if globalArgs[decl.key] == nil {
                    globalArgs[decl.key] = nil
                }
            }
        }
        // Like BuildKit, every stage's literal --from must name an earlier stage, pruned or not.
        for stage in recipe.stages {
            for instruction in stage.instructions {
                var froms: [String] = []
                switch instruction.body {
                case .copy(let c): froms += c.from.map { [$0] } ?? []
                case .run(let r): froms += r.mounts.compactMap(\.from)
                default: break
                }
                for from in froms where !from.contains("$") {
                    _ = try stageReference(from, before: stage.index, range: instruction.range, forCopy: true)
                }
            }
        }
        let targetIndex: Int
        if let target = request.target {
            guard let i = stageIndexByName[target.lowercased()] ?? Int(target).flatMap({ $0 < recipe.stages.count ? $0 : nil }) else {
                let names = recipe.stages.compactMap(\.name)
                throw PlanError("target stage \"\(target)\" could not be found" + (names.isEmpty ? "" : " (stages: \(names.joined(separator: ", ")))"))
            }
            targetIndex = i
        } else {
            targetIndex = recipe.stages.count - 1
        }
        var outputs: [String: String] = [:]
        for p in request.platforms {
            let v = try vertex(targetIndex, target: p, chain: [])
            outputs[p.description] = v.id
        }
        // Merge vertices that came out identical for several target platforms.
        var merged: [String: PlanVertex] = [:]
        var mergedOrder: [String] = []
        var identityOf: [String: String] = [:]  // memo id -> identity
        for key in order {
            let v = memo[key]!
            let identity = "\(v.stageIndex)|\(v.platform)|\(v.cacheKey)"
            identityOf[v.id] = identity
            if var existing = merged[identity] {
                existing.targets.append(contentsOf: v.targets.filter { !existing.targets.contains($0) })
                merged[identity] = existing
            } else {
                merged[identity] = v
                mergedOrder.append(identity)
            }
        }
        // Ids: STAGE@PLATFORM, with "(for TARGETS)" when one stage differs per target.
        var perBase: [String: Int] = [:]
        for identity in mergedOrder {
            let v = merged[identity]!
            perBase["\(v.stage)@\(v.platform)", default: 0] += 1
        }
        var newID: [String: String] = [:]
        for identity in mergedOrder {
            let v = merged[identity]!
            let base = "\(v.stage)@\(v.platform)"
            newID[identity] = perBase[base]! > 1 ? base + "(for " + v.targets.map(\.description).joined(separator: ",") + ")" : base
        }
        var vertices = mergedOrder.map { identity -> PlanVertex in
            var v = merged[identity]!
            v.id = newID[identity]!
            return v
        }
        func rename(_ id: String) -> String { identityOf[id].flatMap { newID[$0] } ?? id }
        for i in vertices.indices {
            var seen = Set<String>()
            vertices[i].dependsOn = vertices[i].dependsOn.map(rename).filter { seen.insert($0).inserted }
            for j in vertices[i].steps.indices {
                if case .copy(var copy) = vertices[i].steps[j].action, case .stage(let id) = copy.from {
                    copy.from = .stage(rename(id))
                    vertices[i].steps[j].action = .copy(copy)
                }
            }
        }
        let pruned = recipe.stages.filter { !reached.contains($0.index) }.map {
            PrunedStage(stage: $0.name ?? String($0.index), index: $0.index, line: $0.range.start.line)
        }
        let unused = request.buildArgs.keys.filter { !usedBuildArgs.contains($0) && !PlatformArgs.names.contains($0) }.sorted()
        if !unused.isEmpty {
            warnings.append(RecipeWarning(
                rule: "UnusedBuildArgs", message: "One or more build-args [\(unused.joined(separator: " "))] were not consumed",
                range: SourceRange(line: 1)))
        }
        return BuildPlan(
            recipe: recipe.file, target: recipe.stages[targetIndex].name ?? String(targetIndex),
            buildPlatform: request.buildPlatform, platforms: request.platforms,
            outputs: outputs.mapValues(rename), vertices: vertices, pruned: pruned,
            warnings: recipe.warnings + warnings, contextIgnore: request.ignore,
            namedContextIgnores: namedHashers.compactMapValues(\.ignore),
            contextDirectories: request.buildContexts.compactMapValues { if case .directory(let d) = $0 { return d } else { return nil } },
            contextEntries: request.contentKeys ? Self.entriesLookup(main: hasher, named: namedHashers) : nil)
    }

    /// For a hashed context input of a step (`context:PATH@…`, `mount:PATH@…`, and the
    /// `[NAME]` forms of named contexts), the entries its digest was made of, read from the
    /// plan's hashers (memoised there) when asked.
    static func entriesLookup(main: ContextHasher?, named: [String: ContextHasher]) -> @Sendable (String) -> [String: String]? {
        { input in
            guard let at = input.lastIndex(of: "@"), let colon = input.firstIndex(of: ":"), colon < at else { return nil }
            let kind = input[..<colon]
            let path = String(input[input.index(after: colon)..<at])
            let h: ContextHasher?
            if kind == "context" || kind == "mount" {
                h = main
            } else if let open = kind.firstIndex(of: "["), kind.hasSuffix("]"), ["context", "mount"].contains(String(kind[..<open])) {
                h = named[String(kind[kind.index(after: open)..<kind.index(before: kind.endIndex)])]
            } else {
                return nil
            }
            return try? h?.entries(under: path == "." ? "" : path)
        }
    }

    /// The stage a `--from` or `FROM` name refers to, if any (earlier stages only).
    func stageReference(_ name: String, before current: Int, range: SourceRange, forCopy: Bool) throws -> Int? {
        // A stage's number names it in COPY --from and RUN --mount=from only: `FROM 0` is
        // the image "0", as in BuildKit.
        if forCopy, let n = Int(name), String(n) == name {
            guard n >= 0, n < recipe.stages.count else { throw fail(range, "invalid stage index \(n)") }
            guard n < current else {
                throw fail(range, "cannot copy from stage \"\(n)\", it needs to be defined before current stage \"\(recipe.stages[current].name ?? String(current))\"")
            }
            return n
        }
        guard let i = stageIndexByName[name.lowercased()] else { return nil }
        if i == current && !forCopy {
            throw fail(range, "circular dependency detected on stage: \(name)")
        }
        if i >= current {
            if forCopy {
                throw fail(range, i == current
                    ? "circular dependency detected on stage: \(name)"
                    : "cannot copy from stage \"\(name)\", it needs to be defined before current stage \"\(recipe.stages[current].name ?? String(current))\"")
            }
            return nil  // FROM a later stage's name is an image reference, as in BuildKit.
        }
        return i
    }
}
