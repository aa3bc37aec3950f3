import BuildKit
import Executor
import Foundation
import OCI
import Plan
import Recipe

/// `mab build` on BuildKit nodes: what buildctl is asked.
extension BuildCommand {
    /// The BuildKit backend for `plan`: platforms scheduled on the nodes, one request per
    /// node (metadata files under `scratch`). Nil after `--dry-run` printed the command lines.
    /// When the schedule needs no answer from the nodes (one node, or every platform
    /// declared), the build does not wait for the probe: it runs beside the build, for the
    /// report and for a clear error if a node does not answer.
    func buildKitBuild(_ plan: BuildPlan, recipe parsed: Recipe, backend: BuildKitBackend, capabilities: @escaping @Sendable () throws -> [NodeCapabilities],
                       source: RecipeSource, environment: [String: String], store contentStore: ContentStore, scratch: String) throws -> BuildKitBuild? {
        let quick = dryRun ? nil : PlatformScheduler.assignWithoutAsking(plan.platforms, to: backend.nodes)
        let assignments = try quick ?? PlatformScheduler.assign(plan.platforms, to: try capabilities())
        let template = try buildctlRequest(plan, recipe: parsed, source: source, environment: environment)
        let request: @Sendable (NodeAssignment) -> BuildctlRequest = { a in
            var r = template
            r.platforms = a.platforms
            r.metadataFile = scratch + "/metadata-\(a.node.name).json"
            return r
        }
        if dryRun {
            Terminal.output(backend.commandLines(assignments, request: request).map { $0 + "\n" }.joined())
            return nil
        }
        return BuildKitBuild(backend: backend, assignments: assignments, request: request, store: contentStore, recipeName: source.displayName,
                             pendingProbe: quick == nil ? nil : capabilities)
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
        for (name, source) in request.buildContexts {
            switch source {
            case .directory(let d): r.namedContexts[name] = .local(directory: absolute(d))
            case .dockerImage(let ref): r.namedContexts[name] = .image(reference: ref)
            case .ociLayout(let dir, let tag):
                // The layout's image for the tag, by digest (buildctl takes no tag).
                do {
                    r.namedContexts[name] = .ociLayout(directory: absolute(dir), digest: try OpenedImage.layoutRoot(dir, tag: tag).digest)
                } catch {
                    throw CLIError.usage("--build-context \(name)=\(source): \(error)")
                }
            }
        }
        for text in steps.secretSpecs {
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
        r.entitlements = try steps.entitlements().map(\.rawValue)
        let parts = steps.compression.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first {
        case "gzip": r.compression = nil
        case "zstd": r.compression = "zstd"
        case "none": r.compression = "uncompressed"
        default: throw CLIError.usage("--compression \(steps.compression): use gzip[:LEVEL], zstd[:LEVEL] or none")
        }
        if parts.count == 2 {
            guard let level = Int(parts[1]) else { throw CLIError.usage("--compression \(steps.compression): the level is a number") }
            r.compressionLevel = level
        }
        return r
    }
}
