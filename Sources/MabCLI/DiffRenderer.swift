import Diff
import Foundation

/// `mab diff`'s output: text for a terminal, markdown for a CI job summary, JSON (schema in
/// docs/diff.md).
enum DiffRenderer {
    struct Document: Encodable {
        var a: String
        var b: String
        var identical: Bool
        var platforms: [PlatformComparison]
    }

    static func render(a: String, b: String, _ comparisons: [PlatformComparison], format: DiffFormat) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let doc = Document(a: a, b: b, identical: !comparisons.contains { !$0.identical }, platforms: comparisons)
            return String(decoding: try encoder.encode(doc), as: UTF8.self) + "\n"
        case .text: return text(a: a, b: b, comparisons)
        case .markdown: return markdown(a: a, b: b, comparisons)
        }
    }

    static func short(_ d: String?) -> String {
        guard let d else { return "-" }
        return d.hasPrefix("sha256:") ? String(d.prefix(19)) : d
    }

    static func mark(_ c: FileChange.Kind) -> String {
        switch c {
        case .added: return "+"
        case .removed: return "-"
        case .changed: return "~"
        }
    }

    static func text(a: String, b: String, _ comparisons: [PlatformComparison]) -> String {
        var out = "A: \(a)\nB: \(b)\n"
        for c in comparisons {
            out += "\n\(c.platform): " + (c.identical ? "same" : "different") + "\n"
            out += "  manifest  \(short(c.manifest.a))  \(short(c.manifest.b))  \(c.manifest.same ? "same" : "differs")\n"
            out += "  config    \(short(c.config.a))  \(short(c.config.b))  \(c.config.same ? "same" : "differs")\n"
            for l in c.layers {
                out += "  layer \(l.index)" + String(repeating: " ", count: max(1, 4 - String(l.index).count)) + "\(short(l.digest.a))  \(short(l.digest.b))  "
                out += l.digest.same ? "same\n" : (l.diffID.same ? "same content, other compression\n" : "differs\n")
            }
            if !c.configDifferences.isEmpty {
                out += "  config fields:\n"
                for d in c.configDifferences { out += "    \(d.field): \(d.a) → \(d.b)\n" }
            }
            let counts = [FileChange.Kind.added, .removed, .changed].map { k in c.files.filter { $0.kind == k }.count }
            if !c.files.isEmpty {
                out += "  files: \(counts[0]) added, \(counts[1]) removed, \(counts[2]) changed\n"
                for f in c.files {
                    out += "    \(mark(f.kind)) \(f.path)\n"
                    for d in f.differences { out += "        \(d.field): \(d.a) → \(d.b)\n" }
                    if let cause = f.cause { out += "        likely: \(cause)\n" }
                }
            }
            for h in c.hints { out += "  likely: \(h)\n" }
        }
        return out
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func markdown(a: String, b: String, _ comparisons: [PlatformComparison]) -> String {
        let same = !comparisons.contains { !$0.identical }
        var out = "## mab diff: \(same ? "same" : "different")\n\n- A: `\(a)`\n- B: `\(b)`\n"
        for c in comparisons {
            out += "\n### \(c.platform): \(c.identical ? "same" : "different")\n\n| | A | B | |\n|---|---|---|---|\n"
            out += "| manifest | `\(short(c.manifest.a))` | `\(short(c.manifest.b))` | \(c.manifest.same ? "same" : "**differs**") |\n"
            out += "| config | `\(short(c.config.a))` | `\(short(c.config.b))` | \(c.config.same ? "same" : "**differs**") |\n"
            for l in c.layers {
                out += "| layer \(l.index) | `\(short(l.digest.a))` | `\(short(l.digest.b))` | \(l.digest.same ? "same" : "**differs**") |\n"
            }
            if !c.configDifferences.isEmpty {
                out += "\n| config field | A | B |\n|---|---|---|\n"
                for d in c.configDifferences { out += "| `\(cell(d.field))` | \(cell(d.a)) | \(cell(d.b)) |\n" }
            }
            if !c.files.isEmpty {
                out += "\n| file | change | likely cause |\n|---|---|---|\n"
                for f in c.files {
                    let what = f.kind == .changed ? f.differences.map { "\($0.field): \(cell($0.a)) → \(cell($0.b))" }.joined(separator: "<br>") : f.kind.rawValue
                    out += "| `\(cell(f.path))` | \(what) | \(cell(f.cause ?? "")) |\n"
                }
            }
            for h in c.hints { out += "\n- likely: \(h)\n" }
        }
        return out
    }
}
