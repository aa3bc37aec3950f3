import ArgumentParser
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

    @OptionGroup var store: StoreOptions

    public init() {}

    public func run() throws {
        let (source, parsed) = try recipe.load()
        try CommandFailure.run {
            let plan = try recipe.plan(parsed, source: source, store: try store.open())
            switch format {
            case .text: Terminal.output(PlanRenderer.text(plan))
            case .dot: Terminal.output(PlanRenderer.dot(plan))
            case .mermaid: Terminal.output(PlanRenderer.mermaid(plan))
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.output(String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n")
            }
        }
    }
}

/// `mab plan --format`.
public enum PlanFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, dot, mermaid
}
