import BuildKit
import Executor
import Foundation
import OCI
import Plan

/// buildkitd nodes as a backend: each node builds its platforms in one buildctl call, all
/// at once; the results, imported into the store, are the images.
struct BuildKitBuild: BuildBackend {
    var backend: BuildKitBackend
    var assignments: [NodeAssignment]
    var request: @Sendable (NodeAssignment) -> BuildctlRequest
    var store: ContentStore
    /// The recipe's name in messages (`FILE` of `FILE:LINE`).
    var recipeName: String
    /// The nodes' answers, when the build did not wait for them.
    var pendingProbe: (@Sendable () throws -> [NodeCapabilities])?

    /// Which node builds what, said before the build when the nodes have answered already.
    var preamble: [String] { pendingProbe == nil ? Self.describe(assignments) : [] }

    static func describe(_ assignments: [NodeAssignment]) -> [String] {
        assignments.map { a in
            "node \(a.node.name) (\(a.node.address)) builds " + a.platforms.map { $0.description + (a.emulated.contains($0) ? " (emulated)" : "") }.joined(separator: ", ")
        }
    }

    func build(_ plan: BuildPlan, display: any ProgressDisplay, stop: Cancellation) throws -> BackendBuild {
        // A build that did not wait for the nodes' answers says which node builds what once
        // they come (with which platforms are emulated), while it runs.
        let announced = DispatchGroup()
        if let pendingProbe {
            let assignments = self.assignments
            DispatchQueue.global().async(group: announced) {
                let known = (try? pendingProbe()).map { PlatformScheduler.completed(assignments, with: $0) } ?? assignments
                for line in Self.describe(known) { display.message(line) }
            }
        }
        defer { announced.wait() }
        var results: [BuildctlResult]
        do {
            results = try backend.build(assignments, request: request, store: store, stop: stop, events: { display.event($0) })
        } catch let failure as BuildctlFailure {
            // A node that does not answer, or cannot build a platform it was given, is said so
            // rather than as buildctl's failure: the nodes are asked afresh (the answers the
            // build went by may be kept ones, from before a node changed).
            if case .failed = failure {
                switch Result(catching: backend.probe) {
                case .failure(let unreachable): throw unreachable
                case .success(let capabilities): _ = try PlatformScheduler.assign(plan.platforms, to: capabilities)
                }
            }
            // The failed step, found in the plan by BuildKit's name for it: its recipe line.
            guard case .failed(_, _, _, _, _, let step?, _) = failure, let line = Self.line(of: step, in: plan) else { throw failure }
            throw failure.located("\(recipeName):\(line)")
        }
        if let pendingProbe, let capabilities = try? pendingProbe() {
            let completed = PlatformScheduler.completed(results.map(\.assignment), with: capabilities)
            for i in results.indices { results[i].assignment = completed[i] }
        }
        var images: [Platform: (PlatformImage, BuildctlResult)] = [:]
        for r in results {
            for w in r.warnings { display.message("warning (node \(r.assignment.node.name)): \(w)") }
            for image in try BuildKitBackend.images(of: r, store: store) { images[image.platform] = (image, r) }
        }
        let ordered = try plan.platforms.map { p -> PlatformImage in
            guard let i = images[p] ?? images.first(where: { $0.key.os == p.os && $0.key.architecture == p.architecture })?.value else {
                throw CLIError.usage("BuildKit built no image for \(p)")
            }
            return i.0
        }
        return BackendBuild(
            images: ordered,
            annotate: { text in
                for i in text.images.indices {
                    guard let p = text.images[i].platform, let (_, r) = images[p] else { continue }
                    text.images[i].builtBy = ImageReport.BuiltBy(
                        node: r.assignment.node.name, address: r.assignment.node.address.description, buildkitVersion: r.assignment.version,
                        containerImageDigest: r.imageDigest, emulated: r.assignment.emulated.contains(p))
                }
            },
            stepsRun: results.reduce(0) { $0 + $1.executedSteps }, stepsCached: results.reduce(0) { $0 + $1.cachedSteps }, finishing: nil)
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
}
