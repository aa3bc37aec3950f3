import ArgumentParser
import BuildKit
import Executor
import Explain
import Foundation
import OCI
import Plan
import Recipe
import Registry

/// `mab build`: plan, then build natively (bubblewrap, overlayfs, qemu) and write outputs.
public struct BuildCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a recipe for one or more platforms.")

    @OptionGroup var recipe: RecipeOptions
    @OptionGroup var steps: StepOptions

    @Option(name: [.short, .customLong("tag")], help: "Tag for the image (repeatable).")
    var tags: [String] = []

    @Option(name: .customLong("output"), help: "type=oci-dir,dest=DIR | type=oci,dest=FILE.tar | type=docker,dest=FILE.tar | type=registry (repeatable).")
    var outputs: [String] = []

    @Flag(help: "Push the image to the registry named by each -t.")
    var push = false

    @Flag(name: .customLong("no-cache"), help: "Run every step again instead of reusing recorded layers.")
    var noCache = false

    @Option(help: "Write the layer-digest report (JSON) to this file.")
    var report: String?

    @Option(help: "Where steps run: auto (BuildKit when a builder is selected, else native), native (bubblewrap, overlayfs, qemu-user; no daemon) or buildkit.")
    var backend: BackendChoice = .auto

    @Flag(name: .customLong("dry-run"), help: "With BuildKit: print the buildctl command lines instead of running them.")
    var dryRun = false

    @Option(name: .customLong("cache-from"), help: "With BuildKit: a cache to import (type=registry,ref=REF | type=local,src=DIR) (repeatable).")
    var cacheFrom: [String] = []

    @Option(name: .customLong("cache-to"), help: "With BuildKit: a cache to export (type=registry,ref=REF[,mode=max] | type=local,dest=DIR) (repeatable).")
    var cacheTo: [String] = []

    @OptionGroup var store: StoreOptions
    @OptionGroup var registry: RegistryOptions

    public init() {}

    public func run() throws {
        let (source, parsed) = try recipe.load()
        try CommandFailure.run {
            let environment = ProcessInfo.processInfo.environment
            let contentStore = try store.open()
            let lock = try contentStore.lock(.shared)
            defer { withExtendedLifetime(lock) {} }
            let nodes = backend == .native ? nil : try BuilderSelection.nodes(steps.builders, environment: environment, store: BuilderStore(environment: environment))
            if backend == .buildkit && nodes?.isEmpty != false { throw BuilderError.noBuilder }
            let (targets, pushRefs) = try exportTargets()
            let scratch = try FileSystem.makeTemporaryDirectory(in: contentStore.root + "/tmp", prefix: "build")
            defer { try? FileSystem.removeTree(scratch) }
            let plan: BuildPlan
            let chosen: any BuildBackend
            if let nodes, !nodes.isEmpty {
                // The nodes are asked what they build while the recipe is planned. BuildKit
                // reads the context and keys its cache itself: the plan does not hash files.
                let backend = BuildKitBackend(buildctl: try Buildctl.locate(environment: environment), nodes: nodes)
                let capabilities = backend.startProbe(cache: NodeAnswerCache(directory: contentStore.root + "/buildkit-nodes"))
                plan = try recipe.plan(parsed, source: source, store: contentStore, contentKeys: false)
                guard let b = try buildKitBuild(plan, recipe: parsed, backend: backend, capabilities: capabilities, source: source,
                                                environment: environment, store: contentStore, scratch: scratch) else { return }
                chosen = b
            } else {
                guard cacheFrom.isEmpty && cacheTo.isEmpty && !dryRun else {
                    throw CLIError.usage("--cache-from, --cache-to and --dry-run are for BuildKit builds (--builder, BUILDKIT_HOST or mab builder use)")
                }
                var planned = try recipe.plan(parsed, source: source, store: contentStore)
                // Images not in the store yet are pulled first and the plan made again: their
                // digests pin the keys (so the next build finds its cache) and their ONBUILD
                // triggers become steps.
                if try Self.pullMissingImages(planned, store: contentStore, options: registry) {
                    planned = try recipe.plan(parsed, source: source, store: contentStore)
                }
                plan = planned
                var native = try nativeBuild(environment: environment, store: contentStore)
                // Against the last build of this recipe, target and platforms: why each step
                // that will run misses, shown as it starts; this build's record replaces it.
                let records = BuildRecordStore(store: contentStore)
                let id = BuildRecordStore.id(context: recipe.context, recipe: source.path, target: recipe.target, platforms: plan.platforms.map(\.description))
                let cache = BuildCache(store: contentStore)
                let previous = records.load(id)
                let explained = CacheExplainer(previous: previous, layerFormat: ImageBuilder.layerFormat(native.writer), useCache: !noCache,
                                               lookup: { cache.lookup($0)?.diffID }, entriesBefore: { records.entries($0) }).explain(plan)
                // A first build, and steps new to this one, miss for no reason worth a line.
                native.missReasons = Dictionary(
                    explained.compactMap { e in e.hit || e.reason == CacheExplainer.notRecorded || previous == nil ? nil : e.reason.map { (e.id, $0) } },
                    uniquingKeysWith: { x, _ in x })
                native.records = (records, id)
                chosen = native
            }
            let display = steps.progress.display(totalSteps: plan.vertices.reduce(0) { $0 + $1.steps.count }, environment: environment)
            defer { display.stop() }
            do {
                try build(plan, with: chosen, targets: targets, pushRefs: pushRefs, store: contentStore, display: display)
            } catch {
                display.failed(error)
                throw error
            }
        }
    }

    /// The native executor, with everything the build was given.
    private func nativeBuild(environment: [String: String], store contentStore: ContentStore) throws -> NativeBuild {
        var secrets: [String: [UInt8]] = [:]
        for text in steps.secretSpecs {
            let spec = try SecretSpec(parsing: text)
            secrets[spec.id] = try spec.value(environment: environment)
        }
        let epoch = try Timestamp.sourceDateEpoch(environment)
        let entitlements = Set(try steps.entitlements())
        return NativeBuild(
            store: contentStore, contextDirectory: recipe.context,
            writer: LayerWriter(compression: try LayerCompression(parsing: steps.compression), sourceDateEpoch: epoch),
            created: Timestamp.rfc3339(epoch ?? Int64(Date().timeIntervalSince1970)), useCache: !noCache,
            binfmt: Binfmt(directory: steps.binfmtRoot), secrets: secrets, entitlements: entitlements, registry: registry, environment: environment)
    }

    /// Builds `plan` with `backend` and publishes what it built, whichever it was.
    private func build(_ plan: BuildPlan, with backend: any BuildBackend, targets: [ExportTarget], pushRefs: [ImageReference],
                       store contentStore: ContentStore, display: any ProgressDisplay) throws {
        for line in backend.preamble { display.message(line) }
        let start = Date()
        let cancellation = Cancellation()
        let trap = SignalTrap(cancellation, log: { display.message($0) })
        defer { withExtendedLifetime(trap) {} }
        let built = try backend.build(plan, display: display, stop: cancellation)
        let sweeping = DispatchGroup()
        if let finishing = built.finishing { DispatchQueue.global().async(group: sweeping, execute: finishing) }
        defer { sweeping.wait() }
        let root = try publish(built.images, targets: targets, pushRefs: pushRefs, store: contentStore, display: display, annotate: built.annotate)
        sweeping.wait()
        display.finished(BuildSummary(
            digest: root.digest.description, platforms: plan.platforms.map(\.description), seconds: Date().timeIntervalSince(start),
            stepsRun: built.stepsRun, stepsCached: built.stepsCached))
        Terminal.output("\(root.digest)\n")
    }

    /// The outputs asked for, and the references `--push` (or type=registry) pushes to.
    func exportTargets() throws -> ([ExportTarget], [ImageReference]) {
        var targets = try outputs.map { try ExportTarget(parsing: $0) }
        if push && !targets.contains(.registry) { targets.append(.registry) }
        let pushRefs = targets.contains(.registry) ? try tags.map { try ImageReference(parsing: $0) } : []
        if targets.contains(.registry) && pushRefs.isEmpty { throw CLIError.usage("--push needs -t REGISTRY/REPOSITORY:TAG") }
        return (targets, pushRefs)
    }

    /// What every build does with its platform images, whichever backend made them: the
    /// root (an index for several), tags, outputs, pushes and the report (`annotate` adds
    /// what the backend knows to it).
    func publish(_ ordered: [PlatformImage], targets: [ExportTarget], pushRefs: [ImageReference], store contentStore: ContentStore,
                 display: any ProgressDisplay, annotate: (inout ImageReport) -> Void) throws -> Descriptor {
        let root = try ImageAssembler(store: contentStore).root(for: ordered)
        for tag in tags { try contentStore.setTag(tag, to: root) }
        let exporter = ImageExporter(store: contentStore)
        for t in targets where t != .registry {
            switch t {
            case .ociDirectory(let dir): try exporter.writeLayout(root, tag: tags.first, to: dir)
            case .ociArchive(let file): try exporter.writeOCIArchive(root, tag: tags.first, to: file)
            case .dockerArchive(let file):
                guard ordered.count == 1 else { throw CLIError.usage("type=docker holds one platform; build one platform, or use type=oci") }
                try exporter.writeDockerArchive(root, tags: tags, platform: ordered[0].platform, to: file)
            case .registry: break
            }
            display.message("wrote \(t)")
        }
        for ref in pushRefs {
            _ = try PushCommand.push(root, from: contentStore, to: ref, options: registry, locations: BlobLocations(store: contentStore), say: { display.message($0) })
        }
        if let report {
            var text = try ImageReport(reference: tags.first ?? root.digest.description, root: root, blobs: contentStore)
            annotate(&text)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try FileSystem.writeFileAtomically(report, Array(try encoder.encode(text)) + [0x0A])
        }
        return root
    }

    /// The images the plan reads, by platform: bases, `COPY --from` and `RUN --mount` of
    /// an image (`docker-image://` names unwrapped).
    static func imageUses(_ plan: BuildPlan) -> [(ref: String, platform: Platform)] {
        var uses: [(String, Platform)] = []
        func add(_ ref: String, _ p: Platform) {
            uses.append((ref.hasPrefix("docker-image://") ? String(ref.dropFirst("docker-image://".count)) : ref, p))
        }
        for vertex in plan.vertices {
            if case .image(let ref) = vertex.base { add(ref, vertex.platform) }
            for step in vertex.steps {
                switch step.action {
                case .copy(let copy): if case .image(let ref) = copy.from { add(ref, vertex.platform) }
                case .run(_, _, _, _, _, let mounts, _): for m in mounts { if case .image(let ref)? = m.source { add(ref, vertex.platform) } }
                default: break
                }
            }
        }
        return uses
    }

    /// Pulls the images the plan reads that the store does not have for a platform, each
    /// once for all the platforms it is needed for; true if any was.
    static func pullMissingImages(_ plan: BuildPlan, store: ContentStore, options: RegistryOptions) throws -> Bool {
        var wanted: [String: [Platform]] = [:]
        for (ref, platform) in imageUses(plan) where RecipeOptions.storeDigest(ref, platform: platform, store: store) == nil {
            if !wanted[ref, default: []].contains(platform) { wanted[ref, default: []].append(platform) }
        }
        for (ref, platforms) in wanted.sorted(by: { $0.key < $1.key }) {
            _ = try pull(ref, platforms: platforms, store: store, options: options)
        }
        return !wanted.isEmpty
    }

    /// Pulls `ref` for `platforms` plus the platforms its tag already has, and moves the tag
    /// to the result: a tag never loses a platform because another one was pulled.
    static func pull(_ ref: String, platforms: [Platform], store: ContentStore, options: RegistryOptions) throws -> Descriptor {
        let parsed = try ImageReference(parsing: ref)
        var all = platforms
        if let existing = try? store.resolveTag(parsed.description), MediaType.isIndex(existing.mediaType),
           let index = try? ImageGraph.decode(ImageIndex.self, try store.read(existing.digest), what: ref) {
            for p in index.manifests.compactMap(\.platform) where !all.contains(p) { all.append(p) }
        }
        let root = try ImagePuller(client: try options.client(for: parsed.registry), store: store).pull(parsed, platforms: all)
        try store.setTag(parsed.description, to: root)
        return root
    }

    /// A base image from the store (pulling it for the platform when it is not there).
    static func baseImage(_ ref: String, platform: Platform, store: ContentStore, options: RegistryOptions) throws -> ImageBuilder.BaseImage {
        if ref.hasPrefix("docker-image://") {
            return try baseImage(String(ref.dropFirst("docker-image://".count)), platform: platform, store: store, options: options)
        }
        let root: Descriptor
        if ref.hasPrefix("oci-layout://") {
            // An OCI layout named as a build context: its blobs are copied into the store.
            guard case .ociLayout(let dir, let tag) = try BuildContextSource(parsing: ref) else { throw CLIError.usage("\(ref): not an OCI layout") }
            let opened = try OpenedImage.open(.layout(directory: dir, tag: tag), store: store)
            try ImageCopier(store: store).copy(opened.root, from: opened.blobs)
            root = opened.root
        } else if RecipeOptions.storeDigest(ref, platform: platform, store: store) != nil,
                  let tagged = (try? store.resolveTag(try ImageReference(parsing: ref).description)) ?? (try? store.resolveTag(ref)) {
            root = tagged
        } else {
            root = try pull(ref, platforms: [platform], store: store, options: options)
        }
        let m = try ImageResolver(read: { try store.read($0) }).manifest(for: root, platform: platform, what: ref)
        let manifest = try ImageGraph.decode(ImageManifest.self, try store.read(m.digest), what: "manifest \(m.digest)")
        for layer in manifest.layers where !store.contains(layer.digest) {
            throw OCIError.blobNotFound(layer.digest, where: store.description)
        }
        let config = try ImageGraph.decode(ImageConfig.self, try store.read(manifest.config.digest), what: "config \(manifest.config.digest)")
        return (manifest, config)
    }
}
