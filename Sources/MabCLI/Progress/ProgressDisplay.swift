import Executor
import Plan

/// Where `mab build` reports: step events from the builder (from several threads at
/// once), messages about outputs and pushes, the result, and an error.
protocol ProgressDisplay: AnyObject, Sendable {
    func event(_ event: BuildEvent)
    /// A line about the build as a whole ("wrote …", "pushed …").
    func message(_ text: String)
    /// The build finished: the summary line and the root digest.
    func finished(_ summary: BuildSummary)
    /// The build failed with this error (printed by the caller as `mab: error: …`).
    func failed(_ error: any Error)
    /// Stops any live redrawing; the display's last state stays on screen.
    func stop()
}
