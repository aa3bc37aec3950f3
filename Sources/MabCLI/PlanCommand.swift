import ArgumentParser
import BuildKit
import Foundation
import Plan

/// `mab plan`: what a build would do, before doing it.
public struct PlanCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the build plan: stages × platforms, cache keys.")

    @OptionGroup var recipe: RecipeOptions

    @Option(help: "text, json, dot or mermaid.")
    var format: PlanFormat = .text

    @Option(help: "auto, native or buildkit: with BuildKit, also which node builds which platform.")
    var backend: BackendChoice = .auto

    @Option(name: .customLong("builder"), help: "BuildKit nodes, as for mab build (repeatable).")
    var builders: [String] = []

    @OptionGroup var store: StoreOptions

    public init() {}

    public func run() throws {
        let (source, parsed) = try recipe.load()
        try CommandFailure.run {
            let plan = try recipe.plan(parsed, source: source, store: try store.open())
            let environment = ProcessInfo.processInfo.environment
            let nodes = backend == .native ? nil : try BuilderSelection.nodes(builders, environment: environment, store: BuilderStore(environment: environment))
            if backend == .buildkit && nodes?.isEmpty != false { throw BuilderError.noBuilder }
            var assignments: [NodeAssignment]?
            if let nodes, !nodes.isEmpty {
                let backend = BuildKitBackend(buildctl: try Buildctl.locate(environment: environment), nodes: nodes)
                assignments = try PlatformScheduler.assign(plan.platforms, to: try backend.probe())
            }
            func closing(_ graph: String, _ extra: String) -> String {
                guard let end = graph.range(of: "}", options: .backwards) else { return graph + extra }
                return String(graph[..<end.lowerBound]) + extra + String(graph[end.lowerBound...])
            }
            switch format {
            case .text: Terminal.output(PlanRenderer.text(plan) + (assignments.map(AssignmentRenderer.text) ?? ""))
            case .dot: Terminal.output(assignments.map { closing(PlanRenderer.dot(plan), AssignmentRenderer.dot($0)) } ?? PlanRenderer.dot(plan))
            case .mermaid: Terminal.output(PlanRenderer.mermaid(plan) + (assignments.map(AssignmentRenderer.mermaid) ?? ""))
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                if let assignments {
                    struct WithNodes: Encodable { var plan: BuildPlan; var buildkit: [AssignmentRenderer.Entry] }
                    Terminal.output(String(decoding: try encoder.encode(WithNodes(plan: plan, buildkit: AssignmentRenderer.entries(assignments))), as: UTF8.self) + "\n")
                } else {
                    Terminal.output(String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n")
                }
            }
        }
    }
}

/// `mab plan --format`.
public enum PlanFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, dot, mermaid
}
