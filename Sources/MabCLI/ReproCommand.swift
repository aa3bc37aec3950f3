import ArgumentParser
import Diff
import Executor
import Foundation
import OCI
import Registry

/// `mab repro`: builds one recipe several times, each in a fresh store with what should
/// not matter perturbed, and compares every digest; for each that differs, which files
/// and why. Exit 0 reproducible, 1 not, 2 when a build failed.
public struct ReproCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "repro",
        abstract: "Build a recipe twice or more and compare every digest.",
        discussion: """
            Run 1 builds the context as given; every later run applies the --vary perturbations. Each run is a \
            `mab build` of its own, in a fresh store seeded with the base images (unless --keep-cache). \
            Exit status: 0 reproducible, 1 not, 2 a build failed.
            """)

    @OptionGroup var recipe: RecipeOptions

    @Option(help: "Builds per backend.")
    var runs: Int = 2

    @Option(help: "Backends to build with, comma separated: native, buildkit.")
    var backends: String = "native"

    @Flag(name: .customLong("keep-cache"), help: "Build in the store as it is, cache included, instead of fresh stores.")
    var keepCache = false

    @Option(help: "What later runs perturb, comma separated: context-path, mtimes, umask, time, order, parallelism; all or none.")
    var vary: String = "all"

    @Option(help: "Output format: text, json or markdown.")
    var format: ReproFormat = .text

    @Option(help: "Also write the JSON report (docs/repro.md) to this file.")
    var report: String?

    @OptionGroup var steps: StepOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var registry: RegistryOptions

    public init() {}

    public func run() throws {
        let report: ReproReport
        do {
            report = try CommandFailure.run {
                do { return try reproduce() } catch ReproError.interrupted(let run) {
                    Terminal.error("mab: error: \(ReproError.interrupted(run: run))")
                    throw ExitCode(130)
                }
            }
        } catch let e as ExitCode where e == ExitCode(1) {
            throw ExitCode(2)
        }
        Terminal.output(try ReproRenderer.render(report, format: format))
        if !report.reproducible { throw ExitCode(1) }
    }

    private func reproduce() throws -> ReproReport {
        let chosen = try Self.backends(backends)
        guard runs >= 1 else { throw CLIError.usage("--runs \(runs): at least 1") }
        guard runs * chosen.count >= 2 else { throw CLIError.usage("--runs 1 with one backend builds once: nothing to compare (use --runs 2 or two backends)") }
        let variations = try ReproVariation.parse(vary)
        let epoch = try Timestamp.sourceDateEpoch(ProcessInfo.processInfo.environment)
        let (source, parsed) = try recipe.load()
        let contentStore = try store.open()
        let lock = try contentStore.lock(.shared)
        defer { withExtendedLifetime(lock) {} }

        // The images the recipe reads, resolved once (pulled when missing): every fresh
        // store starts with the same ones, so the runs differ only in what they build.
        var seeds: [(tag: String, root: Descriptor)] = []
        if chosen.contains(.native) && !keepCache {
            let plan = try recipe.plan(parsed, source: source, store: contentStore, contentKeys: false, warn: false)
            _ = try BuildCommand.pullMissingImages(plan, store: contentStore, options: registry)
            for (ref, _) in BuildCommand.imageUses(plan) where !ref.hasPrefix("oci-layout://") && !seeds.contains(where: { $0.tag == ref }) {
                let name = (try? ImageReference(parsing: ref).description) ?? ref
                if let root = (try? contentStore.resolveTag(name)) ?? (try? contentStore.resolveTag(ref)) { seeds.append((name, root)) }
            }
        }

        let work = try FileSystem.makeTemporaryDirectory(in: contentStore.root + "/tmp", prefix: "repro")
        // Every run, with what it varies: nothing for the first; mtimes and order are applied
        // to a copy, so the path moves with them.
        var plans: [(backend: BackendChoice, varied: [ReproVariation])] = []
        for backend in chosen {
            for _ in 0..<runs {
                var varied = plans.isEmpty ? [] : variations.filter { $0.applies(to: backend) }
                if (varied.contains(.mtimes) || varied.contains(.order)) && !varied.contains(.contextPath) { varied.insert(.contextPath, at: 0) }
                plans.append((backend, varied))
            }
        }
        // Background work (the next run's preparation, a finished run's context copy going)
        // is waited for before anything is removed.
        let preparing = DispatchGroup(), removing = DispatchGroup()
        defer {
            preparing.wait()
            removing.wait()
            try? FileSystem.removeTree(work)
        }
        // A recipe read from standard input is read once: every run builds it from a file.
        var recipeFile = recipe.file
        if recipeFile == "-" {
            recipeFile = work + "/Dockerfile"
            try FileSystem.writeFileAtomically(work + "/Dockerfile", source.bytes)
        }
        let runner = ReproRunner(
            executable: try FileSystem.readLink("/proc/self/exe").withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) },
            work: work, store: contentStore, seeds: seeds, keepCache: keepCache, context: recipe.context,
            recipeFile: recipeFile, buildArguments: buildArguments())
        // Ctrl-C and SIGTERM stop the build that is running (passed on as SIGINT: it stops as
        // `mab build` does, exit 130) and every run after it.
        let cancellation = Cancellation()
        let child = Locked<Int32>(0)
        let trap = SignalTrap(cancellation, log: { _ in
            let pid = child.value
            if pid > 0 { kill(pid, SIGINT) }
        })
        defer { withExtendedLifetime(trap) {} }

        var done: [ReproRun] = []
        var sides: [ImageComparer.Side] = []
        var lastEnd: Date?
        let next = Locked<Result<ReproRunner.Prepared, any Error>?>(nil)
        var current = try runner.prepare(1, backend: plans[0].backend, varied: plans[0].varied)
        for (i, plan) in plans.enumerated() {
            // The next run's context is copied while this one builds.
            if i + 1 < plans.count {
                let following = plans[i + 1]
                DispatchQueue.global().async(group: preparing) {
                    let r = Result { try runner.prepare(i + 2, backend: following.backend, varied: following.varied) }
                    next.withLock { $0 = r }
                }
            }
            // The next whole second: a time the build writes (to the second, as `date` does)
            // then reads later than anything the run before wrote. Without SOURCE_DATE_EPOCH
            // layer mtimes are the files' own, rounded to the nearest second: half a second more.
            let notBefore = plan.varied.contains(.time) ? lastEnd.map { Date(timeIntervalSince1970: floor($0.timeIntervalSince1970) + (epoch == nil ? 1.5 : 1)) } : nil
            Terminal.error("mab repro: run \(i + 1) of \(plans.count): \(ReproRun.label(plan.backend, plan.varied))")
            let (run, side) = try runner.run(current, notBefore: notBefore, child: child, stop: cancellation)
            done.append(run)
            sides.append(side)
            lastEnd = Date()
            if let copy = current.copy { DispatchQueue.global().async(group: removing) { try? FileSystem.removeTree(copy) } }
            guard i + 1 < plans.count else { break }
            preparing.wait()
            current = try next.value!.get()
        }
        let result = try ReproReport(recipe: source.displayName, runs: done, sides: sides)
        if let path = report { try FileSystem.writeFileAtomically(path, Array(try ReproRenderer.json(result).utf8)) }
        return result
    }

    /// `--backends`: native and buildkit, each once.
    static func backends(_ text: String) throws -> [BackendChoice] {
        var out: [BackendChoice] = []
        for name in text.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            guard let b = BackendChoice(rawValue: name), b != .auto else { throw CLIError.usage("--backends \(name): use native, buildkit or native,buildkit") }
            if !out.contains(b) { out.append(b) }
        }
        guard !out.isEmpty else { throw CLIError.usage("--backends: name at least one of native, buildkit") }
        return out
    }

    /// The options every run's `mab build` gets as given.
    func buildArguments() -> [String] {
        var a: [String] = []
        if let p = recipe.platform { a += ["--platform", p] }
        if let t = recipe.target { a += ["--target", t] }
        for b in recipe.buildArgs { a += ["--build-arg", b] }
        for c in recipe.buildContexts { a += ["--build-context", c] }
        for r in registry.insecureRegistries { a += ["--insecure-registry", r] }
        return a + steps.arguments
    }
}
