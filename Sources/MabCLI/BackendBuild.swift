import OCI

/// What a backend built: one image per platform (in the plan's order), what it adds to
/// the report, its step counts, and work to finish while the outputs are written.
struct BackendBuild {
    var images: [PlatformImage]
    var annotate: (inout ImageReport) -> Void
    var stepsRun: Int
    var stepsCached: Int
    var finishing: (@Sendable () -> Void)?
}
