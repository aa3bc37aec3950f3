import Plan

/// The first input of a step's key that is not what an earlier build's was, in plain
/// words; nil when only the parent differs (or nothing).
public enum KeyDifference {
    /// `entries` and `entriesBefore` give the entries behind a hashed input, now and as the
    /// earlier build kept them: read only for an input whose digest changed.
    public static func first(_ now: PlanStep, _ before: StepRecord, entries: (String) -> [String: String]?, entriesBefore: (String) -> [String: String]?) -> String? {
        first(now: now.keyParts, entries: entries, before: before.parts, entriesBefore: entriesBefore)
    }

    static func first(now b: [String: [String]], entries eb: (String) -> [String: String]?,
                      before a: [String: [String]], entriesBefore ea: (String) -> [String: String]?) -> String? {
        if a == b { return nil }
        let baseKinds: Set<String> = ["image", "stage", "scratch", "context"]
        let ka = Set(a.keys).intersection(baseKinds), kb = Set(b.keys).intersection(baseKinds)
        if !ka.isEmpty || !kb.isEmpty {
            if ka != kb { return "the base changed: \(describeBase(a)) → \(describeBase(b))" }
            if let x = a["image"], let y = b["image"], x != y {
                if x.first != y.first { return "base image changed: \(x.first ?? "") → \(y.first ?? "")" }
                if y.count < 2 { return "base image \(y.first ?? "") is not in the store (the build pulls it, then its digest decides)" }
                if x.count < 2 { return "base image \(y.first ?? "") is now pinned to \(short(y[1]))" }
                return "base image digest changed (tag re-pushed): \(short(x[1])) → \(short(y[1]))"
            }
            if let x = a["stage"], let y = b["stage"], x != y { return "stage \(y.first ?? "") changed (a step of it missed)" }
            if let x = a["context"], let y = b["context"], x != y { return "build context \(y.first ?? "") changed: \(short(x.last)) → \(short(y.last))" }
        }
        if a["platform"] != b["platform"] { return "platform changed: \(a["platform"]?.first ?? "-") → \(b["platform"]?.first ?? "-")" }
        // What the step reads first (a file says more than the ARG every later step carries),
        // then the build args (before the instruction they were expanded into).
        if let r = inputDifference(a["inputs"] ?? [], b["inputs"] ?? [], ea, eb) { return r }
        if let r = argDifference(a["args"] ?? [], b["args"] ?? []) { return r }
        if a["instruction"] != b["instruction"] {
            return "instruction changed: `\(clip(a["instruction"]?.first ?? ""))` → `\(clip(b["instruction"]?.first ?? ""))`"
        }
        return nil
    }

    static func describeBase(_ p: [String: [String]]) -> String {
        if let i = p["image"] { return "image \(i.first ?? "")" }
        if let s = p["stage"] { return "stage \(s.first ?? "")" }
        if let c = p["context"] { return "build context \(c.first ?? "")" }
        return "scratch"
    }

    /// `NAME=value` lists: the first name (in order) whose value is not the same.
    static func argDifference(_ a: [String], _ b: [String]) -> String? {
        func split(_ list: [String]) -> [(String, String)] {
            list.map { e in
                guard let eq = e.firstIndex(of: "=") else { return (e, "") }
                return (String(e[..<eq]), String(e[e.index(after: eq)...]))
            }
        }
        let da = Dictionary(split(a), uniquingKeysWith: { x, _ in x }), db = Dictionary(split(b), uniquingKeysWith: { x, _ in x })
        for name in Set(da.keys).union(db.keys).sorted() where da[name] != db[name] {
            switch (da[name], db[name]) {
            case (nil, let v?): return "build-arg \(name)=\(v) is new"
            case (let v?, nil): return "build-arg \(name) (was \(v)) is gone"
            case (let x?, let y?): return "build-arg \(name) changed \(x) → \(y)"
            default: break
            }
        }
        return nil
    }

    /// What an input names, without the digest it had: `context:src`, `stage:build`,
    /// `heredoc:EOF`.
    static func name(_ input: String) -> String {
        for prefix in ["heredoc:", "inline:"] where input.hasPrefix(prefix) {
            let rest = input.dropFirst(prefix.count)
            return prefix + (rest.firstIndex(of: ":").map { String(rest[..<$0]) } ?? String(rest))
        }
        if let at = input.lastIndex(of: "@") { return String(input[..<at]) }
        return input
    }

    static func inputDifference(_ a: [String], _ b: [String], _ ea: (String) -> [String: String]?, _ eb: (String) -> [String: String]?) -> String? {
        let byName = Dictionary(a.map { (name($0), $0) }, uniquingKeysWith: { x, _ in x })
        let names = Set(b.map(name))
        for input in b {
            let n = name(input)
            guard let old = byName[n] else { return "it reads \(describe(n)) now" }
            guard old != input else { continue }
            if let x = ea(old), let y = eb(input), let r = entryDifference(x, y) { return r }
            if n.hasPrefix("heredoc:") { return "heredoc \(n.dropFirst(8)) changed" }
            if n.hasPrefix("inline:") { return "inline file \(n.dropFirst(7)) changed" }
            if n.hasPrefix("stage:") { return "stage \(n.dropFirst(6)) changed (a step of it missed)" }
            return "\(describe(n)) changed: \(short(digest(old))) → \(short(digest(input)))"
        }
        for old in a where !names.contains(name(old)) { return "it no longer reads \(describe(name(old)))" }
        return nil
    }

    /// The first path (by name) whose entry is not the same.
    static func entryDifference(_ a: [String: String], _ b: [String: String]) -> String? {
        for path in Set(a.keys).union(b.keys).sorted() where a[path] != b[path] {
            switch (a[path], b[path]) {
            case (nil, _?): return "\(path) added"
            case (_?, nil): return "\(path) removed"
            case (let x?, let y?):
                if x.hasPrefix("dir ") && y.hasPrefix("dir ") { return "\(path)/ mode changed \(x.dropFirst(4)) → \(y.dropFirst(4))" }
                if x.hasPrefix("dir ") || y.hasPrefix("dir ") { return "\(path) changed type" }
                return "\(path) changed (\(short(x)) → \(short(y)))"
            default: break
            }
        }
        return nil
    }

    static func describe(_ name: String) -> String {
        if name.hasPrefix("context:") { return "context \(name.dropFirst(8))" }
        if name.hasPrefix("mount:") { return "bind mount of \(name.dropFirst(6))" }
        if name.hasPrefix("image:") { return "image \(name.dropFirst(6))" }
        if name.hasPrefix("stage:") { return "stage \(name.dropFirst(6))" }
        return name
    }

    static func digest(_ input: String) -> String? {
        input.lastIndex(of: "@").map { String(input[input.index(after: $0)...]) }
    }

    /// `sha256:0123456789…`.
    static func short(_ d: String?) -> String {
        guard let d else { return "-" }
        return d.hasPrefix("sha256:") && d.count > 17 ? String(d.prefix(17)) + "…" : d
    }

    static func clip(_ s: String) -> String { s.count > 80 ? String(s.prefix(79)) + "…" : s }
}
