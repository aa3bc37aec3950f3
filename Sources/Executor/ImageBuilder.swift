import Doctor
import Foundation
import OCI
import Plan
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// Executes a `BuildPlan` natively: vertices in order, RUN in a sandbox on an overlay
/// stack, COPY into fresh layer directories, config instructions into the image config.
/// Returns one image per target platform, assembled in the store.
public final class ImageBuilder: @unchecked Sendable {
    public typealias BaseImage = (manifest: ImageManifest, config: ImageConfig)

    let store: ContentStore
    let plan: BuildPlan
    let contextDirectory: String?
    let writer: LayerWriter
    let fetchImage: (String, Platform) throws -> BaseImage
    /// Downloads an ADD URL to a file; returns its digest and its Last-Modified time
    /// (seconds) if sent.
    let fetchURL: ((_ url: String, _ file: String) throws -> (digest: Digest, modified: Int64?))?
    let progress: (BuildEvent) -> Void
    let created: String
    let cache: BuildCache
    let useCache: Bool
    let binfmt: Binfmt
    let cancellation: Cancellation
    /// `--secret` values by id, for secret mounts; never written to a layer or the config.
    let secrets: [String: [UInt8]]
    let cacheMounts: CacheMountStore
    let copyMemo = CopyMemo()
    /// What RUN steps may be granted beyond the sandbox (`mab build --allow`).
    let entitlements: Set<Entitlement>
    /// The default confinement, made (its seccomp filter compiled) by the first RUN.
    private var sandboxConfinement: Confinement?
    /// Filtered views of context directories for bind mounts, by directory; made once.
    private var contextViews: [String: ContextView] = [:]
    /// `/etc/hosts` and `/etc/resolv.conf` for every RUN, written by the first.
    private var networkFileMounts: [SandboxMount]?
    /// Guards `results`, `cleanup` and the step counters: vertices build concurrently.
    private let lock = NSLock()
    var results: [String: StageResult] = [:]
    /// The outcomes of the vertices building together, by position in their batch.
    private var wave: [Int: Result<StageResult, any Error>] = [:]
    var cleanup: [String] = []
    /// Steps that made a layer: reused from the cache, and run.
    public private(set) var cachedSteps = 0
    public private(set) var executedSteps = 0
    /// Per output platform, per layer: the step that made it (nil for base image layers).
    public private(set) var provenance: [Platform: [LayerProvenance?]] = [:]
    /// Why steps will miss the cache (`BuildEvent.stepID` → reason), shown as they start.
    public var missReasons: [String: String] = [:]
    /// Per step that looked in the cache (`BuildEvent.stepID`): how.
    public var stepCache: [String: StepCacheUse] { locked { cacheUses } }
    private var cacheUses: [String: StepCacheUse] = [:]

    public init(
        store: ContentStore, plan: BuildPlan, contextDirectory: String?, writer: LayerWriter,
        created: String, useCache: Bool = true, binfmt: Binfmt = Binfmt(), cancellation: Cancellation = Cancellation(),
        secrets: [String: [UInt8]] = [:], entitlements: Set<Entitlement> = [], fetchImage: @escaping (String, Platform) throws -> BaseImage,
        fetchURL: ((_ url: String, _ file: String) throws -> (digest: Digest, modified: Int64?))? = nil, progress: @escaping (BuildEvent) -> Void
    ) {
        self.store = store
        self.plan = plan
        self.contextDirectory = contextDirectory
        self.writer = writer
        self.created = created
        self.cache = BuildCache(store: store)
        self.useCache = useCache
        self.binfmt = binfmt
        self.cancellation = cancellation
        self.secrets = secrets
        self.entitlements = entitlements
        self.cacheMounts = CacheMountStore(store: store)
        self.fetchImage = fetchImage
        self.fetchURL = fetchURL
        self.progress = progress
    }

    deinit {
        removeScratch()
    }

    /// Deletes the build's scratch directories (step uppers, COPY directories, views), in
    /// parallel; call once the images are built — they are in the store by then — so that
    /// the deletion overlaps with writing outputs.
    public func removeScratch() {
        let (dirs, views) = locked { () -> ([String], [ContextView]) in
            defer { cleanup = []; contextViews = [:] }
            return (cleanup, Array(contextViews.values))
        }
        for view in views { view.unmount() }
        DispatchQueue.concurrentPerform(iterations: dirs.count) { try? FileSystem.removeTree(dirs[$0]) }
    }

    /// Builds every vertex; returns the images of the plan's outputs by platform.
    /// The process's umask becomes 0022 first — what runc gives every container and what
    /// BuildKit's steps see — so neither a RUN's files nor the directories mab makes for a
    /// step depend on the umask of the shell mab was started from (`mab repro --vary umask`).
    public func build() throws -> [Platform: PlatformImage] {
        umask(0o022)
        try checkEntitlements()
        try checkEmulation()
        try buildVertices()
        var images: [Platform: PlatformImage] = [:]
        for platform in plan.platforms {
            guard let id = plan.outputs[platform.description], let result = results[id] else { continue }
            let layers = zip(result.layers, result.diffIDs).map {
                LayerResult(diffID: $1, digest: $0.digest, size: $0.size, uncompressedSize: 0, mediaType: $0.mediaType, newestModification: 0)
            }
            var config = result.config
            config.rootfs = RootFS(diffIDs: result.diffIDs)
            config.created = created
            images[platform] = try ImageAssembler(store: store).assemble(config: config, layers: layers)
            provenance[platform] = Array(repeating: nil, count: max(0, result.layers.count - result.provenance.count)) + result.provenance
        }
        return images
    }

    /// Refuses, before anything runs, a RUN that asks for an entitlement the build was not
    /// started with.
    func checkEntitlements() throws {
        for vertex in plan.vertices {
            for step in vertex.steps {
                guard case .run(_, _, _, let network, let security, _, _) = step.action else { continue }
                if security == "insecure" && !entitlements.contains(.securityInsecure) {
                    throw ExecutorError.entitlement(location: "\(plan.recipe):\(step.line)", what: "RUN --security=insecure", entitlement: Entitlement.securityInsecure.rawValue)
                }
                if network == "host" && !entitlements.contains(.networkHost) {
                    throw ExecutorError.entitlement(location: "\(plan.recipe):\(step.line)", what: "RUN --network=host", entitlement: Entitlement.networkHost.rawValue)
                }
            }
        }
    }

    /// The confinement of a RUN with `security` (its --security flag).
    func confinement(security: String?) throws -> Confinement {
        if security == "insecure" { return .insecure() }
        return try locked {
            if let made = sandboxConfinement { return made }
            let made = try Confinement.sandbox()
            sandboxConfinement = made
            return made
        }
    }

    /// The files every RUN sees at `/etc/hosts` (BuildKit's, naming the sandbox's hostname)
    /// and `/etc/resolv.conf` (the host's, as it is: the default network is the host's, so a
    /// loopback resolver answers), bound read-only; never in a layer.
    func networkFiles() throws -> [SandboxMount] {
        try locked {
            if let made = networkFileMounts { return made }
            let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "etc")
            cleanup.append(dir)
            try FileSystem.writeFileAtomically(dir + "/hosts", Array(Sandbox.hostsFile.utf8), mode: 0o644)
            let resolv = (try? FileSystem.readFile("/etc/resolv.conf")) ?? []
            try FileSystem.writeFileAtomically(dir + "/resolv.conf", resolv, mode: 0o644)
            let made: [SandboxMount] = [
                .bind(source: dir + "/resolv.conf", target: "/etc/resolv.conf", readOnly: true),
                .bind(source: dir + "/hosts", target: "/etc/hosts", readOnly: true),
            ]
            networkFileMounts = made
            return made
        }
    }

    /// `directory` (a context) as a bind mount may show it: without what `ignore` excludes.
    func contextView(of directory: String, ignore: IgnoreMatcher) throws -> String {
        try locked {
            if let view = contextViews[directory] { return view.root }
            let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "context")
            cleanup.append(dir)
            let view = try ContextView(context: directory, ignore: ignore, in: dir)
            contextViews[directory] = view
            return view.root
        }
    }

    /// Builds the vertices in waves: every vertex whose dependencies are built runs at the
    /// same time as the others ready with it, at most one per core. The first failure
    /// cancels the rest (their sandboxes are killed) and is the error reported.
    private func buildVertices() throws {
        var pending = plan.vertices
        let width = CPUs.available
        while !pending.isEmpty {
            let done = Set(locked { results.keys })
            let ready = pending.filter { $0.dependsOn.allSatisfy(done.contains) }
            guard !ready.isEmpty else { throw ExecutorError.sandbox("the plan's stages depend on each other in a cycle") }
            pending.removeAll { v in ready.contains { $0.id == v.id } }
            for start in stride(from: 0, to: ready.count, by: width) {
                let batch = Array(ready[start..<min(start + width, ready.count)])
                locked { wave = [:] }
                DispatchQueue.concurrentPerform(iterations: batch.count) { i in
                    let outcome = Result { try self.build(batch[i]) }
                    if case .failure(let error) = outcome, !Self.isInterruption(error) { self.cancellation.cancel() }
                    self.locked { self.wave[i] = outcome }
                }
                let outcomes = locked { (0..<batch.count).compactMap { wave[$0] } }
                // The first real failure wins over the interruptions it caused.
                let failures = outcomes.compactMap { o -> (any Error)? in if case .failure(let e) = o { return e } else { return nil } }
                if let first = failures.first(where: { !Self.isInterruption($0) }) ?? failures.first { throw first }
                for (vertex, outcome) in zip(batch, outcomes) {
                    if case .success(let result) = outcome { locked { results[vertex.id] = result } }
                }
            }
        }
    }

    static func isInterruption(_ error: any Error) -> Bool {
        if case ExecutorError.interrupted = error { return true }
        return false
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Before anything runs: every RUN for a foreign platform needs a binfmt_misc
    /// registration (qemu-user) for that architecture.
    func checkEmulation() throws {
        // Without root there are no overlay mounts or namespaces: RUN cannot work, COPY can.
        if geteuid() != 0 {
            for vertex in plan.vertices {
                if let run = vertex.steps.first(where: { if case .run = $0.action { return true } else { return false } }) {
                    throw ExecutorError.needsRoot("\(plan.recipe):\(run.line): RUN")
                }
            }
        }
        var checked: [String: [DoctorRow]] = [:]
        for vertex in plan.vertices where !vertex.native {
            guard let run = vertex.steps.first(where: { if case .run = $0.action { return true } else { return false } }) else { continue }
            let arch = vertex.platform.architecture
            if checked[arch] == nil { checked[arch] = binfmt.problems(for: vertex.platform) }
            if let problems = checked[arch], !problems.isEmpty {
                throw ExecutorError.emulationUnavailable(location: "\(plan.recipe):\(run.line)", platform: vertex.platform.description, rows: problems.map(\.text))
            }
        }
    }

    /// The total number of steps in the plan, for a display's "done of total".
    public var totalSteps: Int { plan.vertices.reduce(0) { $0 + $1.steps.count } }

    private func build(_ vertex: PlanVertex) throws -> StageResult {
        var result = try reporting(vertex, 0) { try base(vertex, $0) }
        for (n, step) in vertex.steps.enumerated() where n > 0 {
            try cancellation.check()
            try reporting(vertex, n) { try apply(step, vertex: vertex, reporter: $0, to: &result) }
        }
        return result
    }

    /// Runs one step with its reporter: the step ends as done, or as failed/canceled with
    /// the error passed on.
    private func reporting<T>(_ vertex: PlanVertex, _ index: Int, _ body: (StepReporter) throws -> T) throws -> T {
        let reporter = StepReporter(vertex: vertex, index: index, missReason: missReasons["\(vertex.id)#\(index + 1)"], handler: progress)
        do {
            let value = try body(reporter)
            reporter.done()
            return value
        } catch {
            reporter.failed(error)
            throw error
        }
    }

    private func base(_ vertex: PlanVertex, _ reporter: StepReporter) throws -> StageResult {
        reporter.started()
        // BuildKit's empty image: the default PATH and WorkingDir "/".
        var emptyConfig = ImageConfig(platform: vertex.platform, rootfs: RootFS(diffIDs: []), config: ContainerConfig(env: ["PATH=" + ContainerConfig.defaultPath]), history: [])
        emptyConfig.config?.workingDir = "/"
        switch vertex.base {
        case .scratch:
            return StageResult(lowers: [try SnapshotStore(store: store).snapshot(layers: [], diffIDs: [])], layers: [], diffIDs: [], config: emptyConfig)
        case .stage:
            guard let dep = vertex.dependsOn.first, let r = locked({ results[dep] }) else {
                throw ExecutorError.sandbox("stage \(vertex.stage): its base stage was not built")
            }
            var copy = r
            copy.config.architecture = vertex.platform.architecture
            copy.cmdSet = false
            // The stage's ONBUILD triggers ran as this stage's first steps; they are not inherited.
            copy.config.config?.onBuild = nil
            return copy
        case .image(let ref):
            let image = try fetchImage(ref, vertex.platform)
            let snapshot = try SnapshotStore(store: store).snapshot(layers: image.manifest.layers, diffIDs: image.config.rootfs.diffIDs)
            var config = image.config
            config.history = config.history ?? []
            // As BuildKit: every stage has a PATH; an image without one gets the default.
            var c = config.config ?? ContainerConfig()
            if !(c.env ?? []).contains(where: { $0.hasPrefix("PATH=") }) { c.env = (c.env ?? []) + ["PATH=" + ContainerConfig.defaultPath] }
            config.config = c
            // The base's ONBUILD triggers ran as the plan's first steps; they are not inherited.
            config.config?.onBuild = nil
            return StageResult(
                lowers: [snapshot], layers: image.manifest.layers, diffIDs: image.config.rootfs.diffIDs, config: config,
                provenance: Array(repeating: nil, count: image.manifest.layers.count))
        case .context(let name):
            // A directory as the root filesystem: one layer of its files, an empty config.
            guard let directory = plan.contextDirectories[name] else { throw ExecutorError.sandbox("FROM \(name): no such build context") }
            let key = BuildCache.key(stepKey: vertex.steps[0].cacheKey, below: [], sources: [], layerFormat: layerFormat)
            let layer: LayerResult
            let hit = useCache ? cache.lookup(key) : nil
            locked { cacheUses["\(vertex.id)#1"] = StepCacheUse(recordKey: key, below: [], sources: [], cached: hit != nil) }
            if let hit {
                layer = hit
            } else {
                layer = try writer.write(.directory(directory), into: store)
                try cache.record(key, layer)
            }
            let snapshot = try SnapshotStore(store: store).snapshot(layers: [layer.descriptor], diffIDs: [layer.diffID])
            var config = emptyConfig
            config.history = [HistoryEntry(created: created, createdBy: "FROM \(name)", comment: "mab: build context \(directory)")]
            return StageResult(
                lowers: [snapshot], layers: [layer.descriptor], diffIDs: [layer.diffID], config: config,
                provenance: [LayerProvenance(cacheKey: key, cached: false)])
        }
    }

    func history(_ step: PlanStep, empty: Bool, into result: inout StageResult) {
        var h = result.config.history ?? []
        h.append(HistoryEntry(created: created, createdBy: BuildKitHistory.createdBy(step, config: result.config.config), comment: "mab", emptyLayer: empty ? true : nil))
        result.config.history = h
    }

    func addLayer(_ layer: LayerResult, dir: String, key: Digest, step: PlanStep, to result: inout StageResult) throws {
        _ = try lowers(&result)
        result.provenance.append(LayerProvenance(cacheKey: key, cached: false))
        result.layers.append(layer.descriptor)
        result.diffIDs.append(layer.diffID)
        result.lowers.append(dir)
        history(step, empty: false, into: &result)
    }

    /// WORKDIR as the config has it, `/` when unset.
    static func workingDirectory(_ config: ContainerConfig?) -> String {
        config?.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "/"
    }

    /// An error at `step`, located as the planner locates its own: `FILE:LINE:COL`.
    func stepError(_ step: PlanStep, _ detail: String) -> ExecutorError {
        .step(location: "\(plan.recipe):\(step.line):\(step.column)", detail: detail)
    }

    /// The layer format, part of every record key: the same step written with another
    /// compression or SOURCE_DATE_EPOCH is another layer.
    var layerFormat: String { Self.layerFormat(writer) }

    /// The layer format of builds that write layers with `writer`.
    public static func layerFormat(_ writer: LayerWriter) -> String {
        "\(writer.compression) epoch=\(writer.sourceDateEpoch.map(String.init) ?? "none")"
    }

    /// A recorded layer for the step, when the cache is in use; reported either way.
    func cached(_ key: Digest, below: [Digest], sources: [[Digest]] = [], reporter: StepReporter) -> LayerResult? {
        let hit = useCache ? cache.lookup(key) : nil
        locked { cacheUses[reporter.stepID] = StepCacheUse(recordKey: key, below: below, sources: sources, cached: hit != nil) }
        if let hit {
            reporter.cached()
            locked { cachedSteps += 1 }
            return hit
        }
        reporter.started()
        locked { executedSteps += 1 }
        return nil
    }

    /// Adds a cached layer; the stage's directories are unpacked again only if a later
    /// step needs them (see `lowers`).
    func reuse(_ layer: LayerResult, key: Digest, step: PlanStep, to result: inout StageResult) {
        result.provenance.append(LayerProvenance(cacheKey: key, cached: true))
        result.layers.append(layer.descriptor)
        result.diffIDs.append(layer.diffID)
        result.lowers = []
        history(step, empty: false, into: &result)
    }

    /// The directories a stage's root filesystem is stacked from: after cached steps,
    /// the snapshot of its whole layer chain.
    func lowers(_ result: inout StageResult) throws -> [String] {
        if result.lowers.isEmpty {
            result.lowers = [try SnapshotStore(store: store).snapshot(layers: result.layers, diffIDs: result.diffIDs)]
        }
        return result.lowers
    }

    private func apply(_ step: PlanStep, vertex: PlanVertex, reporter: StepReporter, to result: inout StageResult) throws {
        switch step.action {
        case .from:
            return
        case .config(let keyword, let values, let shellForm):
            if keyword != "WORKDIR" { reporter.started() }
            do {
                try applyConfig(keyword, values, shellForm: shellForm, to: &result.config, cmdSet: &result.cmdSet)
            } catch let error as ExecutorError {
                guard case .sandbox(let detail) = error else { throw error }
                throw stepError(step, detail)
            }
            // WORKDIR makes its directory, as a layer (see ImageBuilder+Workdir).
            if keyword == "WORKDIR" { return try makeWorkdir(step, reporter: reporter, to: &result) }
            // ONBUILD only records its trigger: BuildKit writes no history entry for it.
            if keyword != "ONBUILD" { history(step, empty: true, into: &result) }
        case .run(let command, let shellForm, let buildArgs, let network, let security, let mounts, let heredocs):
            let key = BuildCache.key(stepKey: step.cacheKey, below: result.diffIDs, sources: [], layerFormat: layerFormat)
            if let hit = cached(key, below: result.diffIDs, reporter: reporter) { return reuse(hit, key: key, step: step, to: &result) }
            let shell = result.config.config?.shell ?? ContainerConfig.defaultShell
            var argv = shellForm ? shell + [command.joined(separator: " ")] : command
            guard !argv.isEmpty else { throw stepError(step, "\(step.instruction): the exec form names no program") }
            var binds: [SandboxMount] = []
            if !heredocs.isEmpty {
                (argv, binds) = try heredocCommand(command, heredocs, shell: shell, step: step)
            }
            let workdir = Self.workingDirectory(result.config.config)
            let prepared = try prepareMounts(mounts, vertex: vertex, step: step, workdir: workdir)
            defer { prepared.release() }
            // The image's ENV, then the ARGs no later ENV replaced (the planner leaves those out):
            // the later definition wins, as in BuildKit.
            var env: [String: String] = [:]
            for e in result.config.config?.env ?? [] {
                if let eq = e.firstIndex(of: "=") { env[String(e[..<eq])] = String(e[e.index(after: eq)...]) }
            }
            env.merge(buildArgs) { $1 }
            env.merge(prepared.environment) { $1 }
            let user = try execUser(result.config.config?.user, step: step, in: &result)
            // As runc: HOME from the user's passwd entry unless the step's environment has one.
            if env["HOME"] == nil { env["HOME"] = user.home }
            var sandbox = Sandbox(
                root: "", environment: env, workingDirectory: workdir, user: "\(user.uid):\(user.gid)", network: network == "none" ? .none : .host,
                confinement: try confinement(security: security))
            sandbox.groups = user.groups
            sandbox.cancellation = cancellation
            sandbox.mounts = prepared.mounts + binds
            let runner = StepRunner(store: store, writer: writer)
            let outcome = try runner.run(
                argv, lowers: try lowers(&result), sandbox: sandbox, mountPoints: prepared.mounts, networkFiles: try networkFiles(), output: reporter.output,
                prepare: { merged in try FileSystem.makeDirectories(merged + workdir) })
            locked { cleanup.append(FileSystem.parent(outcome.upper)) }
            guard outcome.status == 0, let layer = outcome.layer else {
                var lines = outcome.output.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.last?.isEmpty == true { lines.removeLast() }
                let tail = lines.suffix(20).joined(separator: "\n")
                throw ExecutorError.commandFailed(
                    command: "\(plan.recipe):\(step.line) [\(vertex.platform)] \(step.instruction)", status: outcome.status, output: tail)
            }
            try cache.record(key, layer)
            try addLayer(layer, dir: outcome.upper, key: key, step: step, to: &result)
        case .copy(let copy):
            try copyFiles(copy, step: step, vertex: vertex, reporter: reporter, to: &result)
        }
    }

    /// The directory a COPY or a bind mount reads from (a context directory, a read-only
    /// overlay of a stage's layers that the caller unmounts, or an image's snapshot), and
    /// for a stage's overlay view the directories it stacks.
    func sourceRoot(_ source: CopyAction.Source, vertex: PlanVertex, step: PlanStep, image: BaseImage? = nil) throws -> (root: String, view: OverlayMount?, lowers: [String]?) {
        switch source {
        case .context:
            guard let context = contextDirectory else { throw stepError(step, "no build context") }
            return (context, nil, nil)
        case .namedContext(_, let directory):
            return (directory, nil, nil)
        case .stage(let id):
            guard var built = locked({ results[id] }) else { throw stepError(step, "stage \(id) was not built") }
            // Without root (a COPY-only build) the stage is read from a snapshot of its layers.
            if geteuid() != 0 { return (try SnapshotStore(store: store).snapshot(layers: built.layers, diffIDs: built.diffIDs), nil, nil) }
            let sourceLowers = try lowers(&built)
            locked { results[id] = built }
            let viewDir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "view")
            locked { cleanup.append(viewDir) }
            let mount = try OverlayMount(lowers: sourceLowers + [try SnapshotStore(store: store).snapshot(layers: [], diffIDs: [])], in: viewDir)
            return (mount.merged, mount, sourceLowers)
        case .image(let ref):
            let resolved = try image ?? fetchImage(ref, vertex.platform)
            return (try SnapshotStore(store: store).snapshot(layers: resolved.manifest.layers, diffIDs: resolved.config.rootfs.diffIDs), nil, nil)
        }
    }

    /// `cmdSet`: whether this stage set CMD itself (an ENTRYPOINT resets only an inherited one).
    private func applyConfig(_ keyword: String, _ values: [String], shellForm: Bool, to image: inout ImageConfig, cmdSet: inout Bool) throws {
        var c = image.config ?? ContainerConfig()
        switch keyword {
        case "ENV":
            var env = c.env ?? []
            for pair in values {
                let key = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? pair
                // An overridden variable keeps its place (BuildKit's addEnv).
                if let i = env.firstIndex(where: { $0.hasPrefix(key + "=") }) { env[i] = pair } else { env.append(pair) }
            }
            c.env = env
        case "WORKDIR":
            let v = values.first ?? "/"
            let current = Self.workingDirectory(c)
            c.workingDir = "/" + PathClean.relative(v.hasPrefix("/") ? v : current + "/" + v)
        case "USER": c.user = values.first
        case "CMD":
            c.cmd = shellForm ? (c.shell ?? ContainerConfig.defaultShell) + [values.joined(separator: " ")] : values
            // BuildKit sets it for every CMD (Docker's image spec still reads it).
            c.argsEscaped = true
            cmdSet = true
        case "ENTRYPOINT":
            c.entrypoint = shellForm ? (c.shell ?? ContainerConfig.defaultShell) + [values.joined(separator: " ")] : values
            if !cmdSet { c.cmd = nil }
        case "LABEL":
            var labels = c.labels ?? [:]
            for pair in values {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                labels[parts[0]] = parts.count > 1 ? Self.unquote(parts[1]) : ""
            }
            c.labels = labels
        case "EXPOSE":
            var ports = c.exposedPorts ?? [:]
            for p in values { for port in try PortSpec.expand(p) { ports[port] = EmptyObject() } }
            c.exposedPorts = ports
        case "VOLUME":
            var vols = c.volumes ?? [:]
            for v in values { vols[v] = EmptyObject() }
            c.volumes = vols
        case "STOPSIGNAL": c.stopSignal = values.first
        case "SHELL": c.shell = values
        case "ONBUILD": c.onBuild = (c.onBuild ?? []) + values
        case "HEALTHCHECK":
            let test = Array(values.prefix { !$0.contains("=") || $0.hasPrefix("CMD") })
            var h = HealthConfig(test: test)
            for v in values.dropFirst(test.count) {
                let kv = v.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, let n = Int64(kv[1]), n != 0 else { continue }
                switch kv[0] {
                case "interval": h.interval = n
                case "timeout": h.timeout = n
                case "start-period": h.startPeriod = n
                case "start-interval": h.startInterval = n
                case "retries": h.retries = Int(n)
                default: break
                }
            }
            c.healthcheck = h
        default:
            break  // ARG, MAINTAINER: history only
        }
        image.config = c
    }

    /// Quotes around a LABEL value (as written) are not part of it.
    static func unquote(_ s: String) -> String {
        if s.count >= 2, (s.hasPrefix("\"") && s.hasSuffix("\"")) || (s.hasPrefix("'") && s.hasSuffix("'")) {
            return String(s.dropFirst().dropLast())
        }
        return s
    }
}
