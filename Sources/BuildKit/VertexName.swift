import OCI

/// A BuildKit vertex name as the dockerfile frontend makes it:
/// `[PLATFORM STAGE N/M] INSTRUCTION` (platform only in multi-platform builds, stage only
/// when the recipe has several), or `[PLATFORM internal] …` and bare names for its own work.
public struct VertexName: Sendable, Hashable {
    public var platform: Platform?
    public var stage: String?
    public var step: Int
    public var steps: Int
    public var instruction: String

    /// Nil for names that are not a recipe step.
    public init?(_ name: String) {
        guard name.hasPrefix("["), let close = name.firstIndex(of: "]") else { return nil }
        var words = name[name.index(after: name.startIndex)..<close].split(separator: " ").map(String.init)
        guard let last = words.popLast() else { return nil }
        let nm = last.split(separator: "/")
        guard nm.count == 2, let n = Int(nm[0]), let m = Int(nm[1]), n >= 1, n <= m else { return nil }
        if let first = words.first, first.contains("/"), let p = try? Platform(parsing: first) {
            platform = p
            words.removeFirst()
        }
        guard words.count <= 1 else { return nil }
        stage = words.first
        step = n
        steps = m
        instruction = String(name[name.index(after: close)...].drop { $0 == " " })
    }
}
