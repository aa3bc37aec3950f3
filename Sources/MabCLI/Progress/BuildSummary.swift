import Foundation

/// What a finished build reports last.
struct BuildSummary: Sendable, Encodable {
    var digest: String
    var platforms: [String]
    var seconds: Double
    var stepsRun: Int
    var stepsCached: Int

    /// `built linux/amd64, linux/arm64 in 0.42s (8 steps run, 0 cached)`.
    var line: String {
        "built \(platforms.joined(separator: ", ")) in \(String(format: "%.2f", seconds))s (\(stepsRun) steps run, \(stepsCached) cached)"
    }
}
