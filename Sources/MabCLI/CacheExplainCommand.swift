import ArgumentParser
import Executor
import Explain
import Foundation
import OCI
import Plan

/// `mab cache explain`: for every step of the plan, its cache key and what made it, and
/// whether the cache holds it; for a miss, the first input that changed since the last
/// build of the same recipe, target and platforms. Builds nothing, pulls nothing.
public struct CacheExplainCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show each step's cache key and inputs, and why it would hit or miss.",
        discussion: """
            Takes mab build's recipe options; compares with the record the last native build of the same \
            context, recipe, target and platforms left in the store. Runs nothing.
            """)

    @OptionGroup var recipe: RecipeOptions

    @Option(help: "Layer compression the build would use: gzip[:LEVEL], zstd[:LEVEL] or none.")
    var compression: String = "gzip"

    @Flag(name: .customLong("no-cache"), help: "Explain a build with --no-cache.")
    var noCache = false

    @Option(help: "Output format: text or json.")
    var format: ExplainFormat = .text

    @OptionGroup var store: StoreOptions

    public init() {}

    struct Document: Encodable {
        var schemaVersion = 1
        var recipe: String
        var target: String
        var platforms: [String]
        var layerFormat: String
        /// The build compared with: when it finished and its layer format (null: none recorded).
        var against: Against?
        var steps: [StepExplanation]
    }

    struct Against: Encodable {
        var finished: String
        var layerFormat: String
    }

    public func run() throws {
        let (source, parsed) = try recipe.load()
        try CommandFailure.run {
            let contentStore = try store.open()
            let plan = try recipe.plan(parsed, source: source, store: contentStore)
            let writer = LayerWriter(compression: try LayerCompression(parsing: compression),
                                     sourceDateEpoch: try Timestamp.sourceDateEpoch(ProcessInfo.processInfo.environment))
            let layerFormat = ImageBuilder.layerFormat(writer)
            let id = BuildRecordStore.id(context: recipe.context, recipe: source.path, target: recipe.target, platforms: plan.platforms.map(\.description))
            let records = BuildRecordStore(store: contentStore)
            let previous = records.load(id)
            let cache = BuildCache(store: contentStore)
            var explainer = CacheExplainer(previous: previous, layerFormat: layerFormat, useCache: !noCache, lookup: { cache.lookup($0)?.diffID },
                                           entriesBefore: { records.entries($0) })
            // Every entry each step reads, for JSON; text names the inputs only.
            explainer.withFiles = format == .json
            let steps = explainer.explain(plan)
            let doc = Document(recipe: plan.recipe, target: plan.target, platforms: plan.platforms.map(\.description), layerFormat: layerFormat,
                               against: previous.map { Against(finished: $0.finished, layerFormat: $0.layerFormat) }, steps: steps)
            Terminal.output(try Self.render(doc, format: format))
        }
    }

    static func render(_ doc: Document, format: ExplainFormat) throws -> String {
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
        }
        var out = "\(doc.recipe) (\(doc.platforms.joined(separator: ", ")), target \(doc.target)): "
        out += doc.against.map { "against the build finished \($0.finished)\n" } ?? "no earlier build recorded\n"
        for s in doc.steps {
            out += (s.hit ? "HIT   " : "MISS  ") + s.label + " " + s.line + "\n"
            out += "        key \(s.key)\n"
            for (name, values) in s.inputs.sorted(by: { $0.key < $1.key }) where name != "instruction" && !values.isEmpty {
                out += "        \(name): " + values.joined(separator: ", ") + "\n"
            }
        }
        let hits = doc.steps.filter(\.hit).count
        out += "\(hits) of \(doc.steps.count) steps hit; \(doc.steps.count - hits) would run\n"
        return out
    }
}
