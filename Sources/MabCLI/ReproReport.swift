import Diff
import OCI

/// What `mab repro` found: every run, one table of digests per platform (a row per digest,
/// a column per run), and for each run that differs from run 1, how (schema in
/// docs/repro.md).
struct ReproReport: Sendable, Encodable {
    /// One digest across the runs.
    struct Row: Sendable, Encodable {
        /// `index`, `manifest`, `config`, `layer N diffID` or `layer N digest`.
        var what: String
        var layer: Int?
        /// Run by run (null where a run has no such layer).
        var digests: [String?]
        var same: Bool
    }

    /// One run that differs from run 1 on a platform.
    struct Comparison: Sendable, Encodable {
        var run: Int
        var against: Int
        var configDifferences: [FieldDifference]
        var layers: [LayerDifference]
        var hints: [String]
    }

    struct Image: Sendable, Encodable {
        var platform: String
        var same: Bool
        var rows: [Row]
        var comparisons: [Comparison]
    }

    var schemaVersion = 1
    var recipe: String
    var reproducible: Bool
    var runs: [ReproRun]
    var index: Row
    var images: [Image]

    /// Run 1 compared with every other run, layer by layer.
    init(recipe: String, runs: [ReproRun], sides: [ImageComparer.Side]) throws {
        self.recipe = recipe
        self.runs = runs
        let roots = runs.map(\.root)
        index = Row(what: MediaType.isIndex(roots[0].mediaType) ? "index" : "root manifest", digests: roots.map { $0.digest.description },
                    same: Set(roots.map(\.digest)).count == 1)
        let comparer = ImageComparer(perLayer: true)
        let compared = try sides.dropFirst().map { try comparer.compare(sides[0], $0) }
        var images: [Image] = []
        for first in compared.first ?? [] {
            let each = compared.map { $0.first { $0.platform == first.platform } }
            func row(_ what: String, layer: Int? = nil, _ pick: (PlatformComparison) -> DigestPair?) -> Row {
                let digests = [pick(first)?.a] + each.map { $0.flatMap(pick)?.b }
                return Row(what: what, layer: layer, digests: digests, same: Set(digests).count == 1 && digests[0] != nil)
            }
            var rows = [row("manifest") { $0.manifest }, row("config") { $0.config }]
            let layerCount = each.compactMap { $0?.layers.count }.max() ?? 0
            for i in 0..<layerCount {
                rows.append(row("layer \(i + 1) diffID", layer: i + 1) { $0.layers[safe: i]?.diffID })
                rows.append(row("layer \(i + 1) digest", layer: i + 1) { $0.layers[safe: i]?.digest })
            }
            var comparisons: [Comparison] = []
            for (k, c) in each.enumerated() {
                guard let c else {
                    comparisons.append(Comparison(run: k + 2, against: 1, configDifferences: [], layers: [],
                                                  hints: ["run \(k + 2) has no \(first.platform) image"]))
                    continue
                }
                if c.identical { continue }
                comparisons.append(Comparison(run: k + 2, against: 1, configDifferences: c.configDifferences, layers: c.layerChanges ?? [], hints: c.hints))
            }
            images.append(Image(platform: first.platform, same: rows.allSatisfy(\.same), rows: rows, comparisons: comparisons))
        }
        self.images = images
        reproducible = index.same && images.allSatisfy(\.same)
    }

    /// Digests that differ between the runs, and how many there are.
    var counts: (differing: Int, total: Int) {
        let rows = [index] + images.flatMap(\.rows)
        return (rows.filter { !$0.same }.count, rows.count)
    }
}

extension Array {
    fileprivate subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
