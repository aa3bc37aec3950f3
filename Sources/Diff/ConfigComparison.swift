import Foundation

/// Two image configs compared field by field: both flattened to `key.path[index]` → JSON
/// value, every key whose value differs listed.
public enum ConfigComparison {
    public static func compare(_ a: [UInt8], _ b: [UInt8], ignoreTimestamps: Bool = false) -> [FieldDifference] {
        let fa = flatten(a), fb = flatten(b)
        var out: [FieldDifference] = []
        for key in Set(fa.keys).union(fb.keys).sorted(by: Self.order) {
            if ignoreTimestamps && (key == "created" || key.hasSuffix(".created")) { continue }
            let x = fa[key] ?? "(none)", y = fb[key] ?? "(none)"
            if x != y { out.append(FieldDifference(field: key, a: x, b: y)) }
        }
        return out
    }

    /// `history[10]` after `history[9]`.
    static func order(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: .numeric) == .orderedAscending
    }

    static func flatten(_ bytes: [UInt8]) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return [:] }
        var out: [String: String] = [:]
        func visit(_ value: Any, _ key: String) {
            switch value {
            case let d as [String: Any]:
                if d.isEmpty { out[key] = "{}" }
                for (k, v) in d { visit(v, key.isEmpty ? k : key + "." + k) }
            case let list as [Any]:
                if list.isEmpty { out[key] = "[]" }
                for (i, v) in list.enumerated() { visit(v, "\(key)[\(i)]") }
            default:
                let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
                out[key] = data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
            }
        }
        visit(object, "")
        return out
    }
}
