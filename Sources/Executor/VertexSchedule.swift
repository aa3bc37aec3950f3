import Foundation
import Plan

/// Runs a plan's vertices as a scheduler, not in waves: each starts the moment the vertices
/// it depends on have been built, at most `width` at a time, in plan order among those
/// ready; once one fails, no other starts (the running ones finish or are cancelled by
/// the caller).
final class VertexSchedule: @unchecked Sendable {
    private let condition = NSCondition()
    private var running = 0
    private var built = Set<String>()
    private var failures: [any Error] = []

    /// Builds every vertex with `build`, each on a thread of its own; returns the failures
    /// (none: every vertex was built) and the vertices that never started.
    func run(_ vertices: [PlanVertex], width: Int, build: @escaping @Sendable (PlanVertex) throws -> Void) -> (failures: [any Error], notStarted: [PlanVertex]) {
        var pending = vertices
        condition.lock()
        while true {
            while failures.isEmpty, running < max(1, width), let i = pending.firstIndex(where: { $0.dependsOn.allSatisfy(built.contains) }) {
                let vertex = pending.remove(at: i)
                running += 1
                DispatchQueue.global().async {
                    let failure: (any Error)?
                    do { try build(vertex); failure = nil } catch { failure = error }
                    self.condition.lock()
                    self.running -= 1
                    if let failure { self.failures.append(failure) } else { self.built.insert(vertex.id) }
                    self.condition.signal()
                    self.condition.unlock()
                }
            }
            if running == 0 { break }
            condition.wait()
        }
        let result = (failures, pending)
        condition.unlock()
        return result
    }
}
