import ArgumentParser
import Foundation
import Recipe

/// `mab parse`: validate a recipe completely, then print it.
public struct ParseCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Check a recipe as BuildKit would and print its parse tree (ast) or instruction model (json).",
        discussion: """
            The recipe is validated completely first (instructions, flags and their values, argument \
            counts, mounts, heredocs). --format ast prints BuildKit's parse-tree format, so the output \
            can be diffed against BuildKit's own; --format json prints stages, instructions, flags, \
            heredocs and source ranges.
            """)

    @Option(name: [.short, .customLong("file")], help: "The recipe to read ('-' for standard input).")
    public var file: String = "Dockerfile"

    @Option(help: "Output format: ast or json.")
    public var format: ParseFormat = .ast

    @Flag(name: [.short, .long], help: "Do not print warnings.")
    public var quiet = false

    public init() {}

    public func run() async throws {
        let source: RecipeSource
        do {
            source = try RecipeSource.load(file)
        } catch {
            Terminal.error("mab: \(error)")
            throw ExitCode(1)
        }
        let output: String
        do {
            output = try Self.render(source, format: format, warnings: quiet ? nil : { Terminal.error($0) })
        } catch let error as RecipeError {
            Terminal.error(DiagnosticRenderer.render(error, source: source.bytes), newline: false)
            throw ExitCode(1)
        }
        Terminal.output(output)
    }

    /// Parses and renders; warnings go to the given sink.
    public static func render(_ source: RecipeSource, format: ParseFormat, warnings: ((String) -> Void)? = nil) throws -> String {
        let recipe = try RecipeParser.parse(source.bytes, file: source.displayName)
        if let warnings {
            for warning in recipe.warnings {
                warnings(DiagnosticRenderer.render(warning, file: source.displayName, source: source.bytes).trimmingCharacters(in: .newlines))
            }
        }
        switch format {
        case .ast:
            // Validation succeeded, so the syntax tree exists; print it as BuildKit does.
            return try SyntaxParser.parse(source.bytes, file: source.displayName).dump()
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(recipe)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }
}
