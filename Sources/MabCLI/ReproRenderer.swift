import Diff
import Foundation

/// `mab repro`'s output: text for a terminal, markdown for a CI job summary, JSON (schema
/// in docs/repro.md).
enum ReproRenderer {
    static func render(_ report: ReproReport, format: ReproFormat) throws -> String {
        switch format {
        case .json: return try json(report)
        case .text: return text(report)
        case .markdown: return markdown(report)
        }
    }

    static func json(_ report: ReproReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// `sha256:` and the first 12 hex digits.
    static func short(_ d: String?) -> String {
        guard let d else { return "-" }
        return d.hasPrefix("sha256:") ? String(d.prefix(19)) : d
    }

    static func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(1, width - s.count)) }

    static func verdict(_ report: ReproReport) -> String {
        let (differing, total) = report.counts
        return report.reproducible
            ? "reproducible: all \(total) digests matched across \(report.runs.count) runs"
            : "NOT reproducible: \(differing) of \(total) digests differ between the runs"
    }

    static func text(_ report: ReproReport) -> String {
        var out = ""
        for r in report.runs { out += "run \(r.run)  \(pad(r.label, 60)) \(String(format: "%.2f s", r.seconds))\n" }
        let columns = report.runs.map { "run \($0.run)" }
        func line(_ name: String, _ row: ReproReport.Row) -> String {
            pad(name, 20) + row.digests.map { pad(short($0), 21) }.joined() + (row.same ? "same" : "DIFFERS") + "\n"
        }
        out += "\n" + pad("", 20) + columns.map { pad($0, 21) }.joined() + "\n"
        out += line(report.index.what, report.index)
        for image in report.images {
            out += image.platform + "\n"
            for row in image.rows { out += line("  " + row.what, row) }
        }
        for image in report.images {
            for c in image.comparisons {
                out += "\n\(image.platform): run \(c.run) differs from run \(c.against)\n"
                for d in c.configDifferences { out += "  config \(d.field): \(d.a) → \(d.b)\n" }
                for l in c.layers {
                    out += "  layer \(l.index)" + (l.createdBy.map { " (\($0))" } ?? "") + ":\n"
                    if let o = l.order { out += "    \(o.field): \(o.a) → \(o.b)\n" }
                    for f in l.files {
                        out += "    \(DiffRenderer.mark(f.kind)) \(f.path)\n"
                        for d in f.differences { out += "        \(d.field): \(d.a) → \(d.b)\n" }
                        if let cause = f.cause { out += "        likely: \(cause)\n" }
                    }
                    for h in l.hints { out += "    likely: \(h)\n" }
                }
                for h in c.hints { out += "  likely: \(h)\n" }
            }
        }
        return out + "\n" + verdict(report) + "\n"
    }

    static func markdown(_ report: ReproReport) -> String {
        let cell = DiffRenderer.cell
        var out = "## mab repro: \(report.reproducible ? "reproducible" : "not reproducible")\n\n\(verdict(report)).\n\n"
        out += "| run | how | seconds |\n|---|---|---:|\n"
        for r in report.runs { out += "| \(r.run) | \(cell(r.label)) | \(String(format: "%.2f", r.seconds)) |\n" }
        let header = "| | " + report.runs.map { "run \($0.run)" }.joined(separator: " | ") + " | |\n|---|" + String(repeating: "---|", count: report.runs.count) + "---|\n"
        func line(_ row: ReproReport.Row) -> String {
            "| \(row.what) | " + row.digests.map { "`\(short($0))`" }.joined(separator: " | ") + " | \(row.same ? "same" : "**differs**") |\n"
        }
        out += "\n" + header + line(report.index)
        for image in report.images {
            out += "\n### \(image.platform): \(image.same ? "same" : "differs")\n\n" + header
            for row in image.rows { out += line(row) }
            for c in image.comparisons {
                out += "\n#### run \(c.run) against run \(c.against)\n"
                if !c.configDifferences.isEmpty {
                    out += "\n| config field | run \(c.against) | run \(c.run) |\n|---|---|---|\n"
                    for d in c.configDifferences { out += "| `\(cell(d.field))` | \(cell(d.a)) | \(cell(d.b)) |\n" }
                }
                for l in c.layers {
                    out += "\n**layer \(l.index)**" + (l.createdBy.map { ": `\(cell($0))`" } ?? "") + "\n"
                    if !l.files.isEmpty {
                        out += "\n| file | change | likely cause |\n|---|---|---|\n"
                        for f in l.files {
                            let what = f.kind == .changed ? f.differences.map { "\($0.field): \(cell($0.a)) → \(cell($0.b))" }.joined(separator: "<br>") : f.kind.rawValue
                            out += "| `\(cell(f.path))` | \(what) | \(cell(f.cause ?? "")) |\n"
                        }
                    }
                    if let o = l.order { out += "\n- \(o.field): \(cell(o.a)) → \(cell(o.b))\n" }
                    for h in l.hints { out += "\n- likely: \(h)\n" }
                }
                for h in c.hints { out += "\n- likely: \(h)\n" }
            }
        }
        return out
    }
}
