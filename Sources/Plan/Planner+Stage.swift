import OCI
import Recipe

extension Planner {
    /// Plans stage `index` for target platform `target` (memoised), its dependencies first.
    func vertex(_ index: Int, target: Platform, chain: [Int]) throws -> PlanVertex {
        let memoKey = "\(index)|\(target)"
        if let v = memo[memoKey] { return v }
        let stage = recipe.stages[index]
        if chain.contains(index) {
            throw fail(stage.range, "circular dependency detected on stage: \(stage.name ?? String(index))")
        }
        reached.insert(index)
        let automatic = PlatformArgs.values(target: target, build: request.buildPlatform)
        let fromVars = globalArgs.merging(automatic) { g, _ in g }

        // FROM --platform and the base name, expanded with the global ARGs.
        var platform = target
        if let expr = stage.platform {
            let text = try expand(expr, fromVars, at: stage.range)
            do {
                platform = try Platform(parsing: text)
            } catch {
                throw fail(stage.range, "FROM --platform=\(expr): \(error)")
            }
            guard Self.supportedArchitectures.contains(platform.architecture) else {
                throw fail(stage.range, "FROM --platform=\(text): mab builds linux/amd64 and linux/arm64")
            }
        }
        let baseText = try expand(stage.baseName, fromVars, at: stage.range)
        if baseText.isEmpty {
            throw fail(stage.range, "base name (\(stage.baseName)) should not be blank")
        }
        var dependsOn: [String] = []
        var triggers: [Instruction] = []
        var base: StageBase
        var parentKey: String
        var fromParts: [String: [String]] = [:]
        var inputs: [String] = []
        // A base image's config from the store, read once: its triggers and its ENV.
        var baseConfig: ContainerConfig?
        if let j = try stageReference(baseText, before: index, range: stage.range, forCopy: false) {
            let dep = try vertex(j, target: target, chain: chain + [index])
            base = .stage(j)
            dependsOn.append(dep.id)
            parentKey = dep.cacheKey
            fromParts = ["stage": [dep.stage, dep.cacheKey]]
            inputs.append("stage:\(dep.stage)")
            // The stage's own ONBUILD triggers run here, as BuildKit runs them for FROM <stage>.
            triggers = try triggerInstructions(finalOnBuild["\(j)|\(target)"] ?? [], from: "stage \(dep.stage)", range: stage.range)
        } else if let context = request.buildContexts[baseText] {
            if case .directory(let dir) = context {
                // The directory is the root filesystem: its contents are the key.
                base = .context(baseText)
                let digest: String
                do { digest = try namedContextHasher(baseText, dir, range: stage.range).digest(of: "") } catch let error as PlanError { throw error } catch {
                    throw fail(stage.range, "FROM \(baseText): cannot read build context \(dir): \(error)")
                }
                fromParts = ["context": [baseText, digest], "platform": [platform.description]]
                parentKey = CacheKey.make(fromParts)
                inputs.append("context:\(baseText)@\(digest)")
            } else {
                // An image by another name (docker-image://, oci-layout://).
                base = .image(context.description)
                let digest = request.resolveImage?(context.description, platform)
                fromParts = ["image": [context.description] + (digest.map { [$0] } ?? []), "platform": [platform.description]]
                parentKey = CacheKey.make(fromParts)
                inputs.append("context:\(baseText)=\(context)" + (digest.map { "@\($0)" } ?? ""))
            }
        } else if baseText.lowercased() == "scratch" {
            base = .scratch
            fromParts = ["scratch": [], "platform": [platform.description]]
            parentKey = CacheKey.make(fromParts)
        } else {
            base = .image(baseText)
            baseConfig = request.baseImageConfig?(baseText, platform)
            triggers = try triggerInstructions(baseConfig?.onBuild ?? [], from: baseText, range: stage.range)
            let digest = request.resolveImage?(baseText, platform)
            fromParts = ["image": [baseText] + (digest.map { [$0] } ?? []), "platform": [platform.description]]
            parentKey = CacheKey.make(fromParts)
            inputs.append("image:\(baseText)" + (digest.map { "@\($0)" } ?? ""))
        }
        let name = stage.name ?? String(index)
        var steps = [PlanStep(instruction: "FROM \(baseText)" + (stage.platform != nil ? " (\(platform))" : ""), cacheKey: parentKey, inputs: inputs, line: stage.range.start.line, action: .from, column: stage.range.start.column)]
        steps[0].keyParts = fromParts

        var state = StageState()
        switch base {
        case .stage(let j):
            // As BuildKit: a stage built on another carries on its state, its ENV and its
            // ARGs (for expansion, for RUN and for RUN's history).
            state = finalState["\(j)|\(target)"] ?? StageState()
        case .image:
            // The base image's ENV is what `$VAR` expands to (known once the image is in the store).
            for pair in baseConfig?.env ?? [] {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                state.env[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
            }
        case .scratch, .context:
            break
        }
        // As BuildKit: every stage has a PATH, the default when its image has none.
        if state.env["PATH"] == nil { state.env["PATH"] = ContainerConfig.defaultPath }
        for (n, instruction) in (triggers + stage.instructions).enumerated() {
            let (text, stepInputs, deps, extra, action) = try plan(instruction, state: &state, stageIndex: index, target: target, automatic: automatic, chain: chain)
            dependsOn.append(contentsOf: deps)
            let parts = [
                "parent": [parentKey], "instruction": [text], "platform": [platform.description],
                "args": state.argList, "inputs": stepInputs + extra,
            ]
            let key = CacheKey.make(parts)
            // A trigger is reported at the FROM that brought it in.
            let at = n < triggers.count ? stage.range.start : instruction.range.start
            var step = PlanStep(instruction: text, cacheKey: key, inputs: stepInputs, line: at.line, action: action, column: at.column, argsInScope: state.argsInScope)
            step.keyParts = parts
            steps.append(step)
            parentKey = key
        }
        let v = PlanVertex(
            id: "\(name)@\(target)", stage: name, stageIndex: index, platform: platform,
            native: platform.architecture == request.buildPlatform.architecture, targets: [target], base: base,
            dependsOn: dependsOn, steps: steps, cacheKey: parentKey)
        memo[memoKey] = v
        finalState[memoKey] = state
        finalOnBuild[memoKey] = steps.compactMap { step -> [String]? in
            if case .config("ONBUILD", let values, _) = step.action { return values } else { return nil }
        }.flatMap { $0 }
        order.append(memoKey)
        return v
    }

    /// ONBUILD trigger texts (of a base image or of a stage) parsed as instructions placed at
    /// the FROM that brings them in (errors in them point there and name where they came from).
    func triggerInstructions(_ texts: [String], from origin: String, range: SourceRange) throws -> [Instruction] {
        guard !texts.isEmpty else { return [] }
        let parsed: Recipe
        do {
            parsed = try RecipeParser.parse("FROM scratch\n" + texts.joined(separator: "\n") + "\n", file: "ONBUILD of \(origin)")
        } catch {
            throw fail(range, "the ONBUILD triggers of \(origin) do not parse: \(error)")
        }
        guard parsed.stages.count == 1, var instructions = parsed.stages.first?.instructions else {
            throw fail(range, "the ONBUILD triggers of \(origin) contain FROM, which a trigger cannot be")
        }
        for i in instructions.indices { instructions[i].range = range }
        return instructions
    }

    /// The hasher of a named directory context (`--build-context NAME=DIR`), made once.
    func namedContextHasher(_ name: String, _ dir: String, range: SourceRange) throws -> ContextHasher {
        if let h = namedHashers[name] { return h }
        guard FileSystem.isDirectory(dir) else { throw fail(range, "build context \"\(name)\": \(dir) is not a directory") }
        // A named directory context has its own `.dockerignore` at its root, as in BuildKit.
        let ignoreFile = dir + "/.dockerignore"
        var ignore: IgnoreMatcher?
        if FileSystem.exists(ignoreFile) {
            do { ignore = try IgnoreMatcher(fileContents: String(decoding: try FileSystem.readFile(ignoreFile), as: UTF8.self)) } catch {
                throw fail(range, "build context \"\(name)\": \(ignoreFile): \(error)")
            }
        }
        let h = ContextHasher(root: dir, ignore: ignore)
        namedHashers[name] = h
        return h
    }

    /// One instruction: its normalised text after expansion, what it reads, the vertices it
    /// depends on, and extra key material (heredoc bodies).
    func plan(
        _ instruction: Instruction, state: inout StageState, stageIndex: Int, target: Platform,
        automatic: [String: String], chain: [Int]
    ) throws -> (String, [String], [String], [String], StepAction) {
        let range = instruction.range
        let vars = state.visible
        func x(_ s: String) throws -> String { try expand(s, vars, at: range) }
        var inputs: [String] = []
        var deps: [String] = []
        var extra: [String] = []
        let kw = instruction.body.keyword
        switch instruction.body {
        case .arg(let decls):
            var parts: [String] = []
            for d in decls {
                let value: String
                var hasValue = true
                if let v = request.buildArgs[d.key] {
                    value = v
                    usedBuildArgs.insert(d.key)
                } else if let auto = automatic[d.key], d.defaultValue == nil {
                    value = auto
                } else if let def = d.defaultValue {
                    value = try expand(def, state.visible, at: range)
                } else {
                    value = globalArgs[d.key] ?? ""
                    hasValue = globalArgs[d.key] != nil
                }
                state.declare(d.key, value, hasValue: hasValue)
                // As BuildKit's history: an ARG with no value at all is its name alone.
                parts.append(hasValue ? "\(d.key)=\(value)" : d.key)
            }
            return ("ARG " + parts.joined(separator: " "), [], [], [], .config(keyword: "ARG", values: parts, shellForm: false))
        case .env(let pairs):
            var parts: [String] = []
            // As BuildKit: every pair is expanded with the variables from before the
            // instruction (`ENV A=1 B=$A` gives B the earlier A).
            for p in pairs {
                let k = try x(p.key), v = try x(p.value)
                state.setEnv(k, v)
                parts.append("\(k)=\(v)")
            }
            return ("ENV " + parts.joined(separator: " "), [], [], [], .config(keyword: "ENV", values: parts, shellForm: false))
        case .label(let pairs):
            let values = try pairs.map { "\(try x($0.key))=\(try x($0.value))" }
            return ("LABEL " + values.joined(separator: " "), [], [], [], .config(keyword: "LABEL", values: values, shellForm: false))
        case .workdir(let p):
            let v = try x(p)
            return ("WORKDIR \(v)", [], [], [], .config(keyword: "WORKDIR", values: [v], shellForm: false))
        case .user(let u):
            let v = try x(u)
            return ("USER \(v)", [], [], [], .config(keyword: "USER", values: [v], shellForm: false))
        case .expose(let ports):
            let v = try ports.map(x)
            return ("EXPOSE " + v.joined(separator: " "), [], [], [], .config(keyword: "EXPOSE", values: v, shellForm: false))
        case .volume(let vols):
            let v = try vols.map(x)
            return ("VOLUME " + v.joined(separator: " "), [], [], [], .config(keyword: "VOLUME", values: v, shellForm: false))
        case .stopSignal(let sig):
            let v = try x(sig)
            return ("STOPSIGNAL \(v)", [], [], [], .config(keyword: "STOPSIGNAL", values: [v], shellForm: false))
        case .run(let run):
            var mounts: [RunMount] = []
            for var mount in run.mounts {
                mount.from = try mount.from.map(x)
                mount.source = try mount.source.map(x)
                mount.target = try mount.target.map(x)
                mount.id = try mount.id.map(x)
                mount.env = try mount.env.map(x)
                var source: CopyAction.Source? = mount.type == .bind ? .context : nil
                // What a bind mount reads is part of the step's key (cache and secret
                // contents are not, as in BuildKit).
                var hashed: (hasher: ContextHasher, prefix: String, label: String)?
                if let name = mount.from {
                    if let j = try stageReference(name, before: stageIndex, range: range, forCopy: true) {
                        let dep = try vertex(j, target: target, chain: chain + [stageIndex])
                        deps.append(dep.id)
                        inputs.append("stage:\(dep.stage)@\(dep.cacheKey)")
                        source = .stage(dep.id)
                    } else if let context = request.buildContexts[name] {
                        if case .directory(let dir) = context {
                            source = .namedContext(name: name, directory: dir)
                            if mount.type == .bind { hashed = (try namedContextHasher(name, dir, range: range), "mount[\(name)]:", "build context \"\(name)\"") }
                        } else {
                            inputs.append("context:\(name)=\(context)")
                            source = .image(context.description)
                        }
                    } else {
                        inputs.append("image:\(name)" + (request.resolveImage?(name, target).map { "@\($0)" } ?? ""))
                        source = .image(name)
                    }
                } else if mount.type == .bind {
                    guard let hasher else { throw fail(range, "RUN --mount=type=bind: no build context was given") }
                    hashed = (hasher, "mount:", "the build context")
                }
                if let (h, prefix, label) = hashed {
                    let path = PathClean.relative(mount.source ?? "/")
                    if !request.contentKeys {
                        inputs.append("\(prefix)\(path)")
                    } else {
                        let matches: [String]
                        do { matches = try h.resolve(path) } catch { throw fail(range, "RUN --mount=type=bind,source=\(mount.source ?? "/"): \(error)") }
                        guard let m = matches.first, matches.count == 1 else {
                            throw fail(range, "RUN --mount=type=bind: \"\(mount.source ?? "/")\" not found in \(label)")
                        }
                        do { inputs.append("\(prefix)\(m.isEmpty ? "." : m)@\(try h.digest(of: m))") } catch {
                            throw fail(range, "RUN --mount=type=bind: cannot read \(m) in \(label): \(error)")
                        }
                    }
                }
                mounts.append(RunMount(spec: mount, source: source))
            }
            extra = run.command.heredocs.map { "heredoc:\($0.name):\($0.content)" }
            let body = run.command.prependShell ? run.command.arguments.joined(separator: " ") : "[" + run.command.arguments.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
            let action = StepAction.run(
                command: run.command.arguments, shellForm: run.command.prependShell, buildArgs: state.runArgs,
                network: run.network?.rawValue, security: run.security?.rawValue, mounts: mounts, heredocs: run.command.heredocs)
            return (([kw] + instruction.flags + [body]).joined(separator: " "), inputs, deps, extra, action)
        case .copy(let c), .add(let c):
            var text = [kw]
            // Where the sources are read from: the main context, or a named directory context.
            var sourceHasher = hasher
            var sourceLabel = "the build context"
            var sourcePrefix = "context:"
            var copySource = CopyAction.Source.context
            if let from = c.from {
                let name = try x(from)
                if let j = try stageReference(name, before: stageIndex, range: range, forCopy: true) {
                    let dep = try vertex(j, target: target, chain: chain + [stageIndex])
                    deps.append(dep.id)
                    inputs.append("stage:\(dep.stage)@\(dep.cacheKey)")
                    sourceHasher = nil
                    copySource = .stage(dep.id)
                } else if let source = request.buildContexts[name] {
                    if case .directory(let dir) = source {
                        sourceHasher = try namedContextHasher(name, dir, range: range)
                        sourceLabel = "build context \"\(name)\""
                        sourcePrefix = "context[\(name)]:"
                        copySource = .namedContext(name: name, directory: dir)
                    } else {
                        inputs.append("context:\(name)=\(source)")
                        sourceHasher = nil
                        copySource = .image(source.description)
                    }
                } else {
                    sourceHasher = nil
                    copySource = .image(name)
                    inputs.append("image:\(name)" + (request.resolveImage?(name, target).map { "@\($0)" } ?? ""))
                }
                text.append("--from=\(name)")
            }
            for flag in ["chown": c.chown, "chmod": c.chmod].sorted(by: { $0.key < $1.key }) {
                if let v = flag.value { text.append("--\(flag.key)=\(try x(v))") }
            }
            if c.link { text.append("--link") }
            if c.parents { text.append("--parents") }
            for e in c.exclude { text.append("--exclude=\(try x(e))") }
            if let sum = c.checksum { text.append("--checksum=\(try x(sum))") }
            let sources = try c.sources.map(x)
            if c.from == nil || sourceHasher != nil {
                for src in sources where !(kw == "ADD" && (src.hasPrefix("http://") || src.hasPrefix("https://") || src.hasPrefix("git@"))) {
                    guard let hasher = sourceHasher else { throw fail(range, "\(kw) \(src): no build context was given") }
                    guard request.contentKeys else {
                        inputs.append("\(sourcePrefix)\(src)")
                        continue
                    }
                    let matches: [String]
                    do { matches = try hasher.resolve(src) } catch { throw fail(range, "\(kw) \(src): \(error)") }
                    // A wildcard may match nothing (BuildKit copies nothing); a name must exist.
                    if matches.isEmpty && !ContextHasher.hasWildcard(src) {
                        throw fail(range, "\(kw) failed: \"\(src)\" not found in \(sourceLabel)" + (c.from == nil && request.ignore != nil ? " (or excluded by .dockerignore)" : ""))
                    }
                    for m in matches {
                        do {
                            inputs.append("\(sourcePrefix)\(m.isEmpty ? "." : m)@\(try hasher.digest(of: m))")
                        } catch {
                            throw fail(range, "\(kw) \(src): cannot read \(m) in \(sourceLabel): \(error)")
                        }
                    }
                }
            }
            // Heredoc sources with an unquoted delimiter are expanded as BuildKit's ExpandRaw
            // does: a lexer of its own with `\` as the escape (whatever the recipe's), quotes
            // kept as they are, backslash escapes processed (`\$X` is `$X`).
            var inline = c.inlineSources
            for i in inline.indices where inline[i].expand {
                var raw = ShellLexer(escapeToken: "\\")
                raw.skipProcessQuotes = true
                do { inline[i].data = try raw.expand(inline[i].data, environment: vars) } catch { throw fail(range, "\(kw) <<\(inline[i].path): \(error)") }
            }
            extra = inline.map { "inline:\($0.path):\($0.data)" }
            let destination = try x(c.destination)
            text.append(contentsOf: sources + c.inlineSources.map { "<<\($0.path)" } + [destination])
            let action = CopyAction(
                isAdd: kw == "ADD", from: copySource, sources: sources, inline: inline, destination: destination,
                chown: try c.chown.map(x), chmod: try c.chmod.map(x), link: c.link, parents: c.parents,
                exclude: try c.exclude.map(x), checksum: try c.checksum.map(x), unpack: c.unpack)
            return (text.joined(separator: " "), inputs, deps, extra, .copy(action))
        case .cmd(let c), .entrypoint(let c):
            let text = kw + " " + (c.prependShell ? c.arguments.joined(separator: " ") : "[" + c.arguments.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
            return (text, [], [], [], .config(keyword: kw, values: c.arguments, shellForm: c.prependShell))
        case .shell(let sh):
            return ("SHELL [" + sh.map { "\"\($0)\"" }.joined(separator: ", ") + "]", [], [], [], .config(keyword: "SHELL", values: sh, shellForm: false))
        case .healthcheck(let h):
            let values = h.test + ["interval=\(h.interval)", "timeout=\(h.timeout)", "start-period=\(h.startPeriod)", "start-interval=\(h.startInterval)", "retries=\(h.retries)"]
            return ((["HEALTHCHECK"] + instruction.flags + h.test).joined(separator: " "), [], [], [], .config(keyword: "HEALTHCHECK", values: values, shellForm: false))
        case .onbuild(let expression, _):
            return ("ONBUILD \(expression)", [], [], [], .config(keyword: "ONBUILD", values: [expression], shellForm: false))
        case .maintainer(let m):
            return ("MAINTAINER \(m)", [], [], [], .config(keyword: "MAINTAINER", values: [m], shellForm: false))
        }
    }
}
