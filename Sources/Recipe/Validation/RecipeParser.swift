/// Parses and validates a whole recipe: syntax first, then every instruction, then the
/// stage structure. The first problem found is thrown with its file:line:column.
public enum RecipeParser {
    public static func parse(_ text: String, file: String) throws(RecipeError) -> Recipe {
        try parse(Array(text.utf8), file: file)
    }

    public static func parse(_ source: [UInt8], file: String) throws(RecipeError) -> Recipe {
        let tree = try SyntaxParser.parse(source, file: file)
        let parser = InstructionParser(escapeToken: tree.escapeToken)
        var globalArgs: [Instruction] = []
        var stages: [Stage] = []
        var warnings = tree.warnings
        let locator = SourceLocator(source: source)

        func fail(_ problem: RecipeProblem, _ node: SyntaxNode) -> RecipeError {
            RecipeError(file: file, range: locator.range(of: problem, in: node), problem: problem)
        }

        for node in tree.nodes {
            if node.name == "from" {
                let from: (base: String, name: String?, platform: String?)
                do { from = try parser.parseFrom(node) } catch { throw fail(error, node) }
                let comment = from.name.flatMap { name in
                    node.comments.lazy.compactMap { $0.hasPrefix(name + " ") ? String($0.dropFirst(name.count + 1)) : nil }.first
                }
                stages.append(
                    Stage(
                        index: stages.count, name: from.name, baseName: from.base, platform: from.platform,
                        original: node.original.trimmingGoSpace(), range: node.range, comment: comment))
                warnings.append(contentsOf: Lint.fromWarnings(node))
                continue
            }
            let instruction: Instruction
            do { instruction = try parser.parse(node) } catch { throw fail(error, node) }
            warnings.append(contentsOf: Lint.instructionWarnings(node, instruction))
            if stages.isEmpty {
                guard case .arg = instruction.body else {
                    throw fail(.instructionBeforeFrom(node.keyword.uppercased()), node)
                }
                globalArgs.append(instruction)
                continue
            }
            stages[stages.count - 1].instructions.append(instruction)
        }
        guard !stages.isEmpty else {
            let last = tree.nodes.last!
            throw RecipeError(file: file, range: last.range, problem: .noStages)
        }
        for stage in stages { warnings.append(contentsOf: Lint.stageWarnings(stage)) }

        let check: CheckDirective? = tree.directives.first { $0.name == "check" }.flatMap { try? CheckDirective(parsing: $0.value) }
        var recipe = Recipe(
            file: file, directives: tree.directives, escapeToken: String(tree.escapeToken),
            syntax: tree.directives.first { $0.name == "syntax" }?.value, check: check,
            globalArgs: globalArgs, stages: stages, warnings: warnings)
        recipe.syntax = tree
        return recipe
    }
}
