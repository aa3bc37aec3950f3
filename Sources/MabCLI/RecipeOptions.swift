import ArgumentParser
import Foundation
import OCI
import Plan
import Recipe
import Registry

/// What `mab plan` and `mab build` share: the context, the recipe and its build inputs;
/// loading the recipe and planning it, with errors rendered at the recipe's line.
struct RecipeOptions: ParsableArguments {
    @Argument(help: "The build context directory.")
    var context: String = "."

    @Option(name: [.short, .customLong("file")], help: "The recipe (default: CONTEXT/Dockerfile).")
    var file: String?

    @Option(help: "Target platforms, comma separated (default: the host's).")
    var platform: String?

    @Option(help: "The stage to build (default: the last).")
    var target: String?

    @Option(name: .customLong("build-arg"), help: "KEY=VALUE (repeatable).")
    var buildArgs: [String] = []

    @Option(name: .customLong("build-context"), help: "NAME=DIR|oci-layout://DIR[:TAG]|docker-image://REF (repeatable).")
    var buildContexts: [String] = []

    /// The recipe, read and parsed; a failure is printed (with its `file:line:col`) and
    /// exits 1.
    func load() throws -> (source: RecipeSource, recipe: Recipe) {
        let source: RecipeSource
        do { source = try RecipeSource.load(file ?? (context + "/Dockerfile")) } catch {
            Terminal.error("mab: error: \(error)")
            throw ExitCode(1)
        }
        let parsed = Result { () throws(RecipeError) -> Recipe in try RecipeParser.parse(source.bytes, file: source.displayName) }
        guard case .success(let recipe) = parsed else {
            if case .failure(let error) = parsed { Terminal.error(DiagnosticRenderer.render(error, source: source.bytes), newline: false) }
            throw ExitCode(1)
        }
        return (source, recipe)
    }

    /// The plan, with base images pinned from `store` and file hashes cached there; its
    /// warnings are printed. An error at a recipe line is printed there and exits 1.
    /// `contentKeys: false` for a plan that only schedules BuildKit, which reads the context
    /// itself (see `BuildRequest.contentKeys`); `warn: false` for a plan whose builds print
    /// the warnings themselves.
    func plan(_ recipe: Recipe, source: RecipeSource, store: ContentStore, contentKeys: Bool = true, warn: Bool = true) throws -> BuildPlan {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: context, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.usage("build context \(context): no such directory")
        }
        var request = try request(recipe: recipe, recipePath: source.path)
        request.resolveImage = { ref, platform in Self.storeDigest(ref, platform: platform, store: store) }
        request.baseImageConfig = { ref, platform in Self.storeConfig(ref, platform: platform, store: store) }
        request.contentKeys = contentKeys
        if contentKeys {
            let hashCache = HashCache(storeRoot: store.root, contextDirectory: context)
            hashCache.keepUntilExit()
            request.hashCache = hashCache
        }
        let plan: BuildPlan
        do {
            plan = try Planner.plan(request)
        } catch let error as PlanError {
            if let range = error.range {
                Terminal.error(DiagnosticRenderer.render(
                    RecipeError(file: error.file ?? source.displayName, range: range, problem: .planning(error.message)), source: source.bytes), newline: false)
                throw ExitCode(1)
            }
            throw CLIError.usage(error.message)
        }
        for w in plan.warnings where warn { Terminal.error(DiagnosticRenderer.render(w, file: source.displayName, source: source.bytes).trimmingCharacters(in: .newlines)) }
        return plan
    }

    /// The manifest digest of `ref` for `platform` in mab's store (after `mab pull`), if any.
    /// The container config of an image in the store, for a platform (nil when the image
    /// is not there yet): its ONBUILD triggers and ENV matter to the plan.
    static func storeConfig(_ ref: String, platform: Platform, store: ContentStore) -> ContainerConfig? {
        guard let manifest = storeDigest(ref, platform: platform, store: store).flatMap({ try? Digest(parsing: $0) }),
              let bytes = try? store.read(manifest),
              let m = try? ImageGraph.decode(ImageManifest.self, bytes, what: ref),
              let config = try? ImageGraph.decode(ImageConfig.self, try store.read(m.config.digest), what: ref) else { return nil }
        return config.config
    }

    static func storeDigest(_ ref: String, platform: Platform, store: ContentStore) -> String? {
        if ref.hasPrefix("docker-image://") { return storeDigest(String(ref.dropFirst("docker-image://".count)), platform: platform, store: store) }
        if ref.hasPrefix("oci-layout://") {
            // The layout's own manifest for the platform: a changed layout is a new key.
            guard case .ociLayout(let dir, let tag)? = try? BuildContextSource(parsing: ref),
                  let opened = try? OpenedImage.open(.layout(directory: dir, tag: tag), store: store) else { return nil }
            return (try? ImageResolver(read: { try opened.blobs.read($0) }).manifest(for: opened.root, platform: platform, what: ref))?.digest.description
        }
        if let at = ref.firstIndex(of: "@") { return String(ref[ref.index(after: at)...]) }
        guard let parsed = try? ImageReference(parsing: ref), let root = try? store.resolveTag(parsed.description) else { return nil }
        let manifest = try? ImageResolver(read: { try store.read($0) }).manifest(for: root, platform: platform, what: ref)
        return manifest?.digest.description
    }

    func request(recipe: Recipe, recipePath: String?) throws -> BuildRequest {
        let platforms = try (platform ?? "").split(separator: ",").map { try Platform(parsing: String($0)) }
        var args: [String: String] = [:]
        for a in buildArgs {
            if let eq = a.firstIndex(of: "=") {
                args[String(a[..<eq])] = String(a[a.index(after: eq)...])
            } else if let v = ProcessInfo.processInfo.environment[a] {
                args[a] = v
            }
        }
        var contexts: [String: BuildContextSource] = [:]
        for c in buildContexts {
            guard let eq = c.firstIndex(of: "=") else { throw CLIError.usage("--build-context \(c): expected NAME=SOURCE") }
            contexts[String(c[..<eq])] = try BuildContextSource(parsing: String(c[c.index(after: eq)...]))
        }
        let ignorePath = IgnoreMatcher.ignoreFilePath(recipePath: recipePath, contextDirectory: context, exists: { FileManager.default.fileExists(atPath: $0) })
        let ignore = try ignorePath.map { try IgnoreMatcher(fileContents: String(decoding: FileManager.default.contents(atPath: $0) ?? Data(), as: UTF8.self)) }
        return BuildRequest(
            recipe: recipe, contextDirectory: context, platforms: platforms.isEmpty ? [.host] : platforms, target: target,
            buildArgs: args, buildContexts: contexts, buildPlatform: .host, ignore: ignore)
    }
}
