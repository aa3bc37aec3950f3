/// One step of a plan, explained: its key, what made it, and whether the cache holds it
/// (and if not, the first input that changed).
public struct StepExplanation: Sendable, Hashable, Codable {
    public var id: String
    /// `[stage platform n/total]`.
    public var label: String
    public var instruction: String
    /// `FILE:LINE`.
    public var location: String
    public var key: String
    /// What made the key, field by field (the plan's `keyParts`).
    public var inputs: [String: [String]]
    /// Per context input: every entry it read, path → digest.
    public var files: [String: [String: String]]
    /// Whether the step makes a layer (RUN, COPY, ADD, WORKDIR) — else it only changes the config.
    public var makesLayer: Bool
    public var hit: Bool
    /// Why it misses; for a hit found from a build before the last one, how.
    public var reason: String?

    /// `COPY src/ /app (Dockerfile:12): src/main.go changed (…)`.
    public var line: String { "\(instruction) (\(location))" + (reason.map { ": \($0)" } ?? "") }
}
