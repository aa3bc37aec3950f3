import Diff
import Executor
import Foundation
import OCI

/// Runs one build of `mab repro` as a `mab build` process of its own: in a fresh store
/// seeded with the base images (or the caller's store, with `--keep-cache`), with the
/// perturbations asked for applied. A run is prepared (context copy, store) apart from
/// being built, so that the next run's copy is made while this one builds.
struct ReproRunner: Sendable {
    /// What a run builds from: its context, recipe and store, ready.
    struct Prepared: Sendable {
        var number: Int
        var backend: BackendChoice
        var varied: [ReproVariation]
        var context: String
        var recipe: String?
        var home: String
        /// The context copy, removed once the run has built.
        var copy: String?
    }

    /// The mab binary.
    var executable: String
    /// Where runs keep their stores and reports (under the store's `tmp/`).
    var work: String
    /// The caller's store.
    var store: ContentStore
    /// Images every fresh store starts with: tag → root.
    var seeds: [(tag: String, root: Descriptor)]
    var keepCache: Bool
    var context: String
    /// `-f` as given (a file inside the context follows the context when it is copied).
    var recipeFile: String?
    /// Every other build option, passed through as given.
    var buildArguments: [String]

    /// The context copied (when a variation needs it) and the fresh store seeded.
    func prepare(_ number: Int, backend: BackendChoice, varied: [ReproVariation]) throws -> Prepared {
        let dir = work + "/run-\(number)"
        try FileSystem.makeDirectories(dir)
        var prepared = Prepared(number: number, backend: backend, varied: varied, context: context, recipe: recipeFile,
                                home: keepCache ? store.root : dir + "/home")
        if varied.contains(.contextPath) || varied.contains(.mtimes) || varied.contains(.order) {
            let copy = dir + "/context"
            try ContextCopy(reverseOrder: varied.contains(.order), touch: varied.contains(.mtimes)).copy(context, to: copy)
            prepared.context = copy
            prepared.copy = copy
            if let file = recipeFile, let inside = Self.relative(file, under: context) { prepared.recipe = copy + "/" + inside }
        }
        if !keepCache {
            let fresh = try ContentStore(root: prepared.home)
            for seed in seeds {
                try ImageCopier(store: fresh).link(seed.root, from: store)
                try fresh.setTag(seed.tag, to: seed.root)
            }
        }
        return prepared
    }

    /// Builds a prepared run; it starts no earlier than `notBefore`. While it builds, `child`
    /// holds its process id (a build runs in a process group of its own, so a Ctrl-C at the
    /// terminal reaches repro alone, which passes it on). Returns the run and its image.
    func run(_ p: Prepared, notBefore: Date?, child: Locked<Int32>, stop: Cancellation) throws -> (ReproRun, ImageComparer.Side) {
        let report = work + "/run-\(p.number)/report.json"
        var arguments = ["build", p.context] + (p.recipe.map { ["-f", $0] } ?? []) + buildArguments
        arguments += ["--backend", p.backend.rawValue, "--home", p.home, "--report", report]
        if p.backend == .buildkit && !keepCache { arguments.append("--no-cache") }
        var command = [executable] + arguments
        if p.varied.contains(.parallelism), let taskset = ToolRun.which("taskset", environment: ProcessInfo.processInfo.environment) {
            command = [taskset, "--cpu-list", "0"] + command
        }
        if p.varied.contains(.umask) { command = ["/bin/sh", "-c", "umask 077 && exec \"$@\"", "sh"] + command }
        if let notBefore, Date() < notBefore { Thread.sleep(until: notBefore) }
        if stop.isCancelled { throw ReproError.interrupted(run: p.number) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        child.withLock { $0 = process.processIdentifier }
        // A stop asked for between the start and the line above is passed on here.
        if stop.isCancelled { kill(process.processIdentifier, SIGINT) }
        process.waitUntilExit()
        child.withLock { $0 = 0 }
        let seconds = Date().timeIntervalSince(start)
        if stop.isCancelled || process.terminationReason == .uncaughtSignal || process.terminationStatus == 130 { throw ReproError.interrupted(run: p.number) }
        guard process.terminationStatus == 0 else {
            throw ReproError.buildFailed(run: p.number, label: ReproRun.label(p.backend, p.varied), status: process.terminationStatus)
        }
        let root: Descriptor
        do {
            root = try JSONDecoder().decode(ReportRoot.self, from: Data(try FileSystem.readFile(report))).root
        } catch {
            throw ReproError.noReport(run: p.number, path: report, detail: "\(error)")
        }
        return (ReproRun(run: p.number, backend: p.backend, varied: p.varied, seconds: seconds, root: root),
                ImageComparer.Side(name: "run \(p.number)", root: root, blobs: try ContentStore(root: p.home)))
    }

    /// The part of `mab build --report` a run needs.
    struct ReportRoot: Decodable { var root: Descriptor }

    /// `path` relative to `directory` when it lies inside it.
    static func relative(_ path: String, under directory: String) -> String? {
        guard let p = realpath(path, nil), let d = realpath(directory, nil) else { return nil }
        defer { free(p); free(d) }
        let full = String(cString: p), base = String(cString: d)
        guard full.hasPrefix(base + "/") else { return nil }
        return String(full.dropFirst(base.count + 1))
    }
}
