/// `mab plan` output for people: text, Graphviz dot, Mermaid.
public enum PlanRenderer {
    static func short(_ key: String) -> String { String(key.dropFirst("sha256:".count).prefix(12)) }

    public static func text(_ plan: BuildPlan) -> String {
        var out = "plan for \(plan.recipe): target \(plan.target), platforms \(plan.platforms.map(\.description).joined(separator: ", ")), build platform \(plan.buildPlatform)\n"
        for v in plan.vertices {
            let mode = v.native ? "native" : "emulated"
            let shared = v.targets.count > 1 ? ", shared by \(v.targets.map(\.description).joined(separator: ", "))" : ""
            out += "\nstage \(v.stage) [\(v.platform), \(mode)\(shared)] from \(baseText(v.base, plan))"
            if !v.dependsOn.isEmpty { out += ", after \(v.dependsOn.joined(separator: ", "))" }
            out += "\n"
            for step in v.steps {
                out += "  \(short(step.cacheKey))  \(line(step.line)) \(step.instruction)\n"
            }
        }
        if !plan.pruned.isEmpty {
            out += "\nskipped (not needed for target \(plan.target)): " + plan.pruned.map { "\($0.stage) (line \($0.line))" }.joined(separator: ", ") + "\n"
        }
        out += "\noutputs: " + plan.outputs.sorted(by: { $0.key < $1.key }).map { "\($0.key) ← \($0.value)" }.joined(separator: ", ") + "\n"
        return out
    }

    static func line(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, 4 - s.count)) + s + ":"
    }

    static func baseText(_ base: StageBase, _ plan: BuildPlan) -> String {
        switch base {
        case .scratch: return "scratch"
        case .image(let r): return "image \(r)"
        case .stage(let i): return "stage \(plan.vertices.first { $0.stageIndex == i }?.stage ?? String(i))"
        case .context(let n): return "build context \(n)"
        }
    }

    static func node(_ id: String) -> String {
        "n" + String(id.unicodeScalars.map { ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "_" })
    }

    public static func dot(_ plan: BuildPlan) -> String {
        var out = "digraph plan {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n"
        for v in plan.vertices {
            let color = v.native ? "black" : "orange"
            out += "  \(node(v.id)) [label=\"\(v.stage)\\n\(v.platform)\(v.native ? "" : " (emulated)")\\n\(short(v.cacheKey))\", color=\(color)];\n"
            if case .image(let r) = v.base {
                out += "  \(node("image " + r)) [label=\"\(r)\", shape=note];\n  \(node("image " + r)) -> \(node(v.id));\n"
            }
        }
        for v in plan.vertices {
            for d in v.dependsOn { out += "  \(node(d)) -> \(node(v.id));\n" }
        }
        for p in plan.pruned { out += "  \(node("pruned " + p.stage)) [label=\"\(p.stage) (skipped)\", style=dashed];\n" }
        return out + "}\n"
    }

    public static func mermaid(_ plan: BuildPlan) -> String {
        var out = "flowchart LR\n"
        for v in plan.vertices {
            out += "  \(node(v.id))[\"\(v.stage)<br/>\(v.platform)\(v.native ? "" : " · emulated")<br/>\(short(v.cacheKey))\"]\n"
            if case .image(let r) = v.base { out += "  \(node("image " + r))[(\"\(r)\")] --> \(node(v.id))\n" }
        }
        for v in plan.vertices {
            for d in v.dependsOn { out += "  \(node(d)) --> \(node(v.id))\n" }
        }
        for p in plan.pruned { out += "  \(node("pruned " + p.stage))[\"\(p.stage) (skipped)\"]:::skipped\n" }
        if !plan.pruned.isEmpty { out += "  classDef skipped stroke-dasharray: 5 5\n" }
        return out
    }
}
