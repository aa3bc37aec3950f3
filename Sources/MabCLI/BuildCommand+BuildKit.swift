import BuildKit
import Executor
import Foundation
import OCI
import Plan
import Recipe

/// `mab build` on BuildKit nodes: the same plan, platforms scheduled onto nodes, one
/// buildctl per node (all at once), the results imported into the store and published as
/// a native build's are.
extension BuildCommand {
    func buildKit(_ plan: BuildPlan, recipe parsed: Recipe, backend: BuildKitBackend, capabilities: [NodeCapabilities], source: RecipeSource,
                  environment: [String: String], store contentStore: ContentStore) throws {
        let (targets, pushRefs) = try exportTargets()
        let assignments = try PlatformScheduler.assign(plan.platforms, to: capabilities)
        let template = try buildctlRequest(plan, recipe: parsed, source: source, environment: environment)
        let scratch = try FileSystem.makeTemporaryDirectory(in: contentStore.root + "/tmp", prefix: "buildctl")
        defer { try? FileSystem.removeTree(scratch) }
        let request: @Sendable (NodeAssignment) -> BuildctlRequest = { a in
            var r = template
            r.platforms = a.platforms
            r.metadataFile = scratch + "/metadata-\(a.node.name).json"
            return r
        }
        if dryRun {
            Terminal.output(backend.commandLines(assignments, request: request).map { $0 + "\n" }.joined())
            return
        }
        let display = progress.display(totalSteps: plan.vertices.reduce(0) { $0 + $1.steps.count }, environment: environment)
        defer { display.stop() }
        for a in assignments {
            display.message("node \(a.node.name) (\(a.node.address)) builds " + a.platforms.map { $0.description + (a.emulated.contains($0) ? " (emulated)" : "") }.joined(separator: ", "))
        }
        do {
            let start = Date()
            let cancellation = Cancellation()
            let trap = SignalTrap(cancellation, log: { display.message($0) })
            defer { withExtendedLifetime(trap) {} }
            let results = try backend.build(assignments, request: request, store: contentStore, stop: cancellation, events: { display.event($0) })
            var images: [Platform: (PlatformImage, BuildctlResult)] = [:]
            for r in results {
                for w in r.warnings { display.message("warning (node \(r.assignment.node.name)): \(w)") }
                for image in try BuildKitBackend.images(of: r, store: contentStore) { images[image.platform] = (image, r) }
            }
            let ordered = try plan.platforms.map { p -> PlatformImage in
                guard let i = images[p] ?? images.first(where: { $0.key.os == p.os && $0.key.architecture == p.architecture })?.value else {
                    throw CLIError.usage("BuildKit built no image for \(p)")
                }
                return i.0
            }
            let root = try publish(ordered, targets: targets, pushRefs: pushRefs, store: contentStore, display: display) { text in
                for i in text.images.indices {
                    guard let p = text.images[i].platform, let (_, r) = images[p] else { continue }
                    text.images[i].builtBy = ImageReport.BuiltBy(
                        node: r.assignment.node.name, address: r.assignment.node.address.description, buildkitVersion: r.assignment.version,
                        containerImageDigest: r.imageDigest, emulated: r.assignment.emulated.contains(p))
                }
            }
            display.finished(BuildSummary(
                digest: root.digest.description, platforms: plan.platforms.map(\.description), seconds: Date().timeIntervalSince(start),
                stepsRun: results.reduce(0) { $0 + $1.executedSteps }, stepsCached: results.reduce(0) { $0 + $1.cachedSteps }))
            Terminal.output("\(root.digest)\n")
        } catch let failure as BuildctlFailure {
            // The failed step, found in the plan by BuildKit's name for it: its recipe line.
            guard case .failed(_, _, _, _, _, let step?, _) = failure, let line = Self.line(of: step, in: plan) else {
                display.failed(failure)
                throw failure
            }
            let located = failure.located("\(source.displayName):\(line)")
            display.failed(located)
            throw located
        } catch {
            display.failed(error)
            throw error
        }
    }

    /// The recipe line of the step BuildKit names `[STAGE N/M]`: stage `stage-K` is the
    /// K-th, a named one by its name, none (a one-stage recipe) the target; step N counts
    /// FROM only when the stage loads an image (mab's steps always start with FROM).
    static func line(of step: VertexName, in plan: BuildPlan) -> Int? {
        let vertex: PlanVertex?
        if let stage = step.stage {
            let index = stage.hasPrefix("stage-") ? Int(stage.dropFirst(6)) : nil
            vertex = plan.vertices.first { v in index.map { v.stageIndex == $0 } ?? (v.stage == stage) }
        } else {
            vertex = plan.vertices.last
        }
        guard let vertex else { return nil }
        // BuildKit numbers FROM as a step only when it loads an image.
        var fromIsAStep = false
        if case .image = vertex.base { fromIsAStep = true }
        let i = step.step - (fromIsAStep ? 1 : 0)
        guard i >= 0, i < vertex.steps.count else { return nil }
        return vertex.steps[i].line
    }

    /// Everything the build was given, as buildctl takes it; what has no BuildKit
    /// equivalent is refused.
    func buildctlRequest(_ plan: BuildPlan, recipe parsed: Recipe, source: RecipeSource, environment: [String: String]) throws -> BuildctlRequest {
        guard let path = source.path else { throw CLIError.usage("--backend buildkit reads the recipe from a file: give -f FILE, not standard input") }
        func absolute(_ p: String) -> String { "/" + PathClean.relative(p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p) }
        let file = absolute(path)
        let context = absolute(recipe.context)
        let request = try recipe.request(recipe: parsed, recipePath: path)
        var r = BuildctlRequest(
            contextDirectory: context, recipeDirectory: FileSystem.parent(file), recipeFile: FileSystem.basename(file),
            platforms: plan.platforms, target: recipe.target, metadataFile: "")
        r.buildArgs = request.buildArgs
        r.namedContexts = request.buildContexts.mapValues { source in
            if case .directory(let d) = source { return .directory(absolute(d)) }
            return source
        }
        for text in secretSpecs {
            let spec = try SecretSpec(parsing: text)
            switch spec.origin {
            case .file(let p): r.secrets.append((spec.id, .file(absolute(p))))
            case .environment(let v): r.secrets.append((spec.id, .environment(v)))
            }
        }
        r.noCache = noCache
        r.cacheFrom = cacheFrom
        r.cacheTo = cacheTo
        r.sourceDateEpoch = try Timestamp.sourceDateEpoch(environment)
        r.entitlements = try allow.map { name in
            guard Entitlement(rawValue: name) != nil else {
                throw CLIError.usage("--allow \(name): unknown entitlement (use \(Entitlement.allCases.map(\.rawValue).joined(separator: " or ")))")
            }
            return name
        }
        let parts = compression.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first {
        case "gzip": r.compression = nil
        case "zstd": r.compression = "zstd"
        case "none": r.compression = "uncompressed"
        default: throw CLIError.usage("--compression \(compression): use gzip[:LEVEL], zstd[:LEVEL] or none")
        }
        if parts.count == 2 {
            guard let level = Int(parts[1]) else { throw CLIError.usage("--compression \(compression): the level is a number") }
            r.compressionLevel = level
        }
        return r
    }
}
