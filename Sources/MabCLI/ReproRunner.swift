import Diff
import Foundation
import OCI

/// Runs one build of `mab repro` as a `mab build` process of its own: in a fresh store
/// seeded with the base images (or the caller's store, with `--keep-cache`), with the
/// perturbations asked for applied.
struct ReproRunner {
    /// The mab binary.
    var executable: String
    /// Where runs keep their context copies, stores and reports (under the store's `tmp/`).
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

    /// Builds run `number` on `backend` with `varied` applied; it starts no earlier than
    /// `notBefore`. Returns the run and its image.
    func run(_ number: Int, backend: BackendChoice, varied: [ReproVariation], notBefore: Date?) throws -> (ReproRun, ImageComparer.Side) {
        let dir = work + "/run-\(number)"
        try FileSystem.makeDirectories(dir)
        var contextDir = context
        var recipe = recipeFile
        if varied.contains(.contextPath) || varied.contains(.mtimes) || varied.contains(.order) {
            contextDir = dir + "/context"
            try ContextCopy(reverseOrder: varied.contains(.order), touch: varied.contains(.mtimes)).copy(context, to: contextDir)
            if let file = recipeFile, let inside = Self.relative(file, under: context) { recipe = contextDir + "/" + inside }
        }
        let home = keepCache ? store.root : dir + "/home"
        if !keepCache {
            let fresh = try ContentStore(root: home)
            for seed in seeds {
                try ImageCopier(store: fresh).link(seed.root, from: store)
                try fresh.setTag(seed.tag, to: seed.root)
            }
        }
        let report = dir + "/report.json"
        var arguments = ["build", contextDir] + (recipe.map { ["-f", $0] } ?? []) + buildArguments
        arguments += ["--backend", backend.rawValue, "--home", home, "--report", report]
        if backend == .buildkit && !keepCache { arguments.append("--no-cache") }
        var command = [executable] + arguments
        if varied.contains(.parallelism), let taskset = ToolRun.which("taskset", environment: ProcessInfo.processInfo.environment) {
            command = [taskset, "--cpu-list", "0"] + command
        }
        if varied.contains(.umask) { command = ["/bin/sh", "-c", "umask 077 && exec \"$@\"", "sh"] + command }
        if let notBefore, Date() < notBefore { Thread.sleep(until: notBefore) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let label = ReproRun.label(backend, varied)
        if process.terminationReason == .uncaughtSignal || process.terminationStatus == 130 { throw ReproError.interrupted(run: number) }
        guard process.terminationStatus == 0 else { throw ReproError.buildFailed(run: number, label: label, status: process.terminationStatus) }
        let root: Descriptor
        do {
            root = try JSONDecoder().decode(ReportRoot.self, from: Data(try FileSystem.readFile(report))).root
        } catch {
            throw ReproError.noReport(run: number, path: report, detail: "\(error)")
        }
        let built = try ContentStore(root: home)
        return (ReproRun(run: number, backend: backend, varied: varied, seconds: seconds, root: root),
                ImageComparer.Side(name: "run \(number)", root: root, blobs: built))
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
