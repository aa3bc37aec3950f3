import ArgumentParser
import Foundation
import Recipe

/// Holds a recipe alive to the end of the process (see `renderBytes`).
final class RecipeBox {
    let recipe: Recipe
    init(_ recipe: Recipe) { self.recipe = recipe }
}

/// `mab parse`: validate a recipe completely, then print it.
public struct ParseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Check a recipe; print its parse tree or model.",
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

    public func run() throws {
        let source: RecipeSource
        do {
            source = try RecipeSource.load(file)
        } catch {
            Terminal.error("mab: \(error)")
            throw ExitCode(1)
        }
        let output: [UInt8]
        do {
            output = try Self.renderBytes(source, format: format, warnings: quiet ? nil : { Terminal.error($0) }, keepAlive: true)
        } catch let error as RecipeError {
            Terminal.error(DiagnosticRenderer.render(error, source: source.bytes), newline: false)
            throw ExitCode(1)
        }
        Terminal.output(output)
    }

    /// Parses and renders; warnings go to the given sink.
    public static func render(_ source: RecipeSource, format: ParseFormat, warnings: ((String) -> Void)? = nil) throws -> String {
        String(decoding: try renderBytes(source, format: format, warnings: warnings), as: UTF8.self)
    }

    public static func renderBytes(_ source: RecipeSource, format: ParseFormat, warnings: ((String) -> Void)? = nil, keepAlive: Bool = false) throws -> [UInt8] {
        let recipe = try RecipeParser.parse(source.bytes, file: source.displayName)
        if keepAlive {
            // The process ends right after printing: skip tearing down a large recipe.
            _ = Unmanaged.passRetained(RecipeBox(recipe))
        }
        if let warnings {
            for warning in recipe.warnings {
                warnings(DiagnosticRenderer.render(warning, file: source.displayName, source: source.bytes).trimmingCharacters(in: .newlines))
            }
        }
        switch format {
        case .ast:
            // Validation succeeded; print the tree it was built from, as BuildKit does.
            return recipe.syntax?.dumpBytes() ?? []
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return Array(try encoder.encode(recipe)) + [0x0A]
        }
    }
}
