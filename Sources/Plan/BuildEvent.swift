import Foundation
import OCI

/// What the builder reports while it works, for a progress display: a step starts, is
/// found in the cache, prints a line, finishes or fails. Events of concurrent vertices
/// interleave; `vertex` + `step` identify the step they belong to.
public struct BuildEvent: Sendable {
    public enum Status: Sendable, Equatable {
        case started
        /// The step's layer was found in the build cache; it did not run.
        case cached
        /// One line of the running step's output (stdout and stderr together), no newline.
        case output(String)
        case done
        /// The step failed; the text is the error.
        case failed(String)
        /// The step stopped because another one failed or the build was interrupted.
        case canceled
    }

    public var vertex: String
    public var stage: String
    public var platform: Platform
    /// 1-based position of the step in its stage, and the stage's step count.
    public var step: Int
    public var steps: Int
    public var instruction: String
    public var status: Status
    public var time: Date
    /// On `started`: why the build cache did not hold the step (the first input that
    /// changed since the last build, see `mab cache explain`), when it is known.
    public var missReason: String?

    public init(vertex: String, stage: String, platform: Platform, step: Int, steps: Int, instruction: String, status: Status, time: Date = Date()) {
        self.vertex = vertex
        self.stage = stage
        self.platform = platform
        self.step = step
        self.steps = steps
        self.instruction = instruction
        self.status = status
        self.time = time
    }

    /// `[stage platform n/total]`, the label every display shows for the step.
    /// Identifies the step among all the build's events (vertex and position).
    public var stepID: String { "\(vertex)#\(step)" }

    /// An unnamed stage is `stage-N`, as BuildKit shows it.
    public var label: String {
        let name = stage.allSatisfy(\.isNumber) ? "stage-\(stage)" : stage
        return "[\(name) \(platform) \(step)/\(steps)]"
    }
}
