import Executor
import Plan

/// A way to build a plan: the native executor or buildkitd nodes. `mab build` plans, picks
/// one, and publishes what it gives (index, tags, outputs, push, report) the same way
/// whichever ran.
protocol BuildBackend {
    /// Lines the display shows before the first step (which node builds what).
    var preamble: [String] { get }

    func build(_ plan: BuildPlan, display: any ProgressDisplay, stop: Cancellation) throws -> BackendBuild
}
