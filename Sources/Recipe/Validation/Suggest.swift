/// "Did you mean …?" by edit distance, as BuildKit's `suggest` package offers it.
enum Suggest {
    static func closest(to word: String, in options: [String], caseSensitive: Bool) -> String? {
        guard !word.isEmpty else { return nil }
        let w = caseSensitive ? word : word.lowercased()
        let limit = w.unicodeScalars.count <= 2 ? 1 : 2
        var best: (String, Int)?
        for option in options {
            let o = caseSensitive ? option : option.lowercased()
            if o == w { return option }
            let d = distance(Array(w.unicodeScalars), Array(o.unicodeScalars))
            if d <= limit, best == nil || d < best!.1 { best = (option, d) }
        }
        return best?.0
    }

    /// Damerau-Levenshtein (optimal string alignment) distance.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
