import Foundation
import OCI
import Plan

/// Sends one step's events to the build's progress handler: started or cached, its output
/// cut into lines, then done, failed or canceled — exactly one ending per step.
final class StepReporter {
    private let handler: (BuildEvent) -> Void
    private let template: BuildEvent
    private var splitter = LineSplitter()
    private(set) var ended = false

    private let missReason: String?

    init(vertex: PlanVertex, index: Int, missReason: String? = nil, handler: @escaping (BuildEvent) -> Void) {
        self.missReason = missReason
        self.handler = handler
        let step = vertex.steps[index]
        template = BuildEvent(
            vertex: vertex.id, stage: vertex.stage, platform: vertex.platform, step: index + 1, steps: vertex.steps.count,
            instruction: step.instruction, status: .started)
    }

    private func emit(_ status: BuildEvent.Status) {
        var event = template
        event.status = status
        event.time = Date()
        handler(event)
    }

    /// `VERTEX#N`, as `BuildEvent.stepID`.
    var stepID: String { template.stepID }

    func started() {
        var event = template
        event.status = .started
        event.time = Date()
        event.missReason = missReason
        handler(event)
    }

    func cached() {
        emit(.cached)
        ended = true
    }

    /// A chunk of the running command's output.
    func output(_ chunk: Data) {
        splitter.feed(chunk) { emit(.output($0)) }
    }

    func done() {
        guard !ended else { return }
        splitter.finish { emit(.output($0)) }
        emit(.done)
        ended = true
    }

    func failed(_ error: any Error) {
        guard !ended else { return }
        splitter.finish { emit(.output($0)) }
        if case ExecutorError.interrupted = error { emit(.canceled) } else { emit(.failed(String(describing: error))) }
        ended = true
    }
}
