import OCI

/// One build of `mab repro`: how it was made and what it made.
struct ReproRun: Sendable, Encodable {
    /// 1-based; run 1 is the reference every other run is compared with.
    var run: Int
    var backend: BackendChoice
    /// The perturbations this run had (none for run 1).
    var varied: [ReproVariation]
    /// The build's wall-clock time.
    var seconds: Double
    /// The image it made (an index for several platforms).
    var root: Descriptor

    /// `native`, `native, varied: mtimes umask` — as the report shows a run.
    var label: String { Self.label(backend, varied) }

    static func label(_ backend: BackendChoice, _ varied: [ReproVariation]) -> String {
        backend.rawValue + (varied.isEmpty ? "" : ", varied: " + varied.map(\.rawValue).joined(separator: " "))
    }
}
