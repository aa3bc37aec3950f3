/// Warnings BuildKit's checks would print for a recipe that still builds.
enum Lint {
    static func fromWarnings(_ node: SyntaxNode) -> [RecipeWarning] {
        var out: [RecipeWarning] = []
        let at = SourceRange(start: node.range.start, end: node.range.start)
        if node.arguments.count == 3 {
            let keywordUpper = node.keyword == node.keyword.uppercased()
            let asWord = node.arguments[1]
            if (keywordUpper && asWord != asWord.uppercased()) || (!keywordUpper && asWord != asWord.lowercased()) {
                out.append(RecipeWarning(rule: "FromAsCasing", message: "'as' and 'FROM' keywords' casing do not match", range: at))
            }
            let name = node.arguments[2]
            if name != name.lowercased() {
                out.append(RecipeWarning(rule: "StageNameCasing", message: "Stage name '\(name)' should be lowercase", range: at))
            }
        }
        return out
    }

    static func instructionWarnings(_ node: SyntaxNode, _ instruction: Instruction) -> [RecipeWarning] {
        let at = SourceRange(start: node.range.start, end: node.range.start)
        switch instruction.body {
        case .maintainer:
            return [RecipeWarning(rule: "MaintainerDeprecated", message: "The MAINTAINER instruction is deprecated, use a label instead to define an image author", range: at)]
        case .cmd(let line), .entrypoint(let line):
            if line.prependShell {
                return [RecipeWarning(rule: "JSONArgsRecommended", message: "JSON arguments recommended for \(instruction.body.keyword) to prevent unintended behavior related to OS signals", range: at)]
            }
        case .env, .label:
            if node.arguments.count == 3 && node.arguments[2].isEmpty {
                let kw = instruction.body.keyword
                return [RecipeWarning(rule: "LegacyKeyValueFormat", message: "\"\(kw) key=value\" should be used instead of legacy \"\(kw) key value\" format", range: at)]
            }
        default:
            break
        }
        return []
    }

    static func stageWarnings(_ stage: Stage) -> [RecipeWarning] {
        var out: [RecipeWarning] = []
        var seen: [String: Int] = [:]
        for instruction in stage.instructions {
            let kw = instruction.body.keyword
            guard kw == "CMD" || kw == "ENTRYPOINT" || kw == "HEALTHCHECK" else { continue }
            seen[kw, default: 0] += 1
            if seen[kw] == 2 {
                out.append(RecipeWarning(
                    rule: "MultipleInstructionsDisallowed",
                    message: "Multiple \(kw) instructions should not be used in the same stage because only the last one will be used",
                    range: SourceRange(start: instruction.range.start, end: instruction.range.start)))
            }
        }
        return out
    }
}
