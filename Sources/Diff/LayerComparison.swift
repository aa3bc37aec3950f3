/// Compares two layers that sit at the same position of two images: what a reproducibility
/// check needs to say why their digests differ.
public struct LayerComparison: Sendable {
    public init() {}

    /// Two layers' entries (in tar order) compared.
    public func compare(index: Int, createdBy: String?, a: [LayerEntry], b: [LayerEntry]) -> LayerDifference {
        var change = LayerDifference(index: index, createdBy: createdBy)
        let ra = Self.records(a), rb = Self.records(b)
        change.files = TreeComparison(tarHeaders: true).compare(ra, rb)
        let wa = Self.whiteouts(a), wb = Self.whiteouts(b)
        for key in wa.union(wb).sorted() where wa.contains(key) != wb.contains(key) {
            change.files.append(FileChange(path: key, kind: wa.contains(key) ? .removed : .added))
        }
        change.order = Self.firstOrderDifference(a, b)
        if change.order != nil {
            change.hints.append("the layers hold their entries in another order: the tool that wrote them follows directory order, not names (mab writes entries sorted by name)")
        }
        if change.files.isEmpty && change.order == nil {
            change.hints.append("the same entries in the same order, but other tar bytes (padding, header encoding): the layers were written by different tools or versions")
        }
        return change
    }

    /// The hint for a layer whose files are the same (equal diffIDs) but whose blobs are not.
    public static func compressionOnly(index: Int, createdBy: String?) -> LayerDifference {
        LayerDifference(index: index, createdBy: createdBy, hints: [
            "the same tar, compressed to other bytes: another compressor, level or thread count, or a gzip header with a time or name in it (mab writes none)",
        ])
    }

    static func records(_ entries: [LayerEntry]) -> [String: FileRecord] {
        var out: [String: FileRecord] = [:]
        for case .record(let r) in entries { out[r.path] = r }
        return out
    }

    static func whiteouts(_ entries: [LayerEntry]) -> Set<String> {
        var out = Set<String>()
        for e in entries {
            switch e {
            case .whiteout(let p): out.insert("\(p) (whiteout)")
            case .opaque(let d): out.insert("\(d) (opaque whiteout)")
            case .record: break
            }
        }
        return out
    }

    static func key(_ e: LayerEntry) -> String {
        switch e {
        case .record(let r): return r.path
        case .whiteout(let p): return "\(p) (whiteout)"
        case .opaque(let d): return "\(d) (opaque whiteout)"
        }
    }

    /// The first position where the entries both layers hold come in another order.
    static func firstOrderDifference(_ a: [LayerEntry], _ b: [LayerEntry]) -> FieldDifference? {
        let ka = a.map(key), kb = b.map(key)
        let common = Set(ka).intersection(kb)
        let sa = ka.filter(common.contains), sb = kb.filter(common.contains)
        guard let i = sa.indices.first(where: { $0 < sb.count && sa[$0] != sb[$0] }) else { return nil }
        return FieldDifference(field: "entry order", a: "entry \(i + 1) of those both hold: \(sa[i])", b: "entry \(i + 1) of those both hold: \(sb[i])")
    }
}
