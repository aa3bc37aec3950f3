import Foundation
import OCI
import Plan

/// Turns buildctl's rawjson progress, line by line, into mab's build events, so the
/// tty/plain/json displays show a BuildKit build as they show a native one: a recipe
/// step starts, is cached, prints its log lines, is done or fails. BuildKit's own work
/// (`[internal] …`, exporting) is not a step; its errors are kept for the failure message.
public struct RawJSONDecoder: Sendable {
    /// The node, for the vertex ids, and the platforms it builds: BuildKit names a step's
    /// platform only where the name would be ambiguous without it; an unnamed one is taken
    /// from the step's inputs, else the n-th vertex of one name is the n-th platform (the
    /// order BuildKit solves them in).
    public let node: String
    public let platforms: [Platform]

    private var names: [String: VertexName] = [:]
    private var seenNames: [String: Int] = [:]
    private var reported: [String: BuildEvent.Status] = [:]
    private var partial: [String: String] = [:]
    private var ids: [String: String] = [:]
    /// The last error BuildKit gave a vertex, and which one.
    public private(set) var lastError: (vertex: String, error: String)?
    public private(set) var warnings: [String] = []
    /// How many recipe steps BuildKit found cached, and how many it ran.
    public private(set) var cachedSteps = 0
    public private(set) var executedSteps = 0

    public init(node: String, platforms: [Platform]) {
        self.node = node
        self.platforms = platforms
    }

    /// The events one line brings; a line that is not JSON (buildctl's own closing error
    /// text) brings none.
    public mutating func feed(_ line: String) -> [BuildEvent] {
        guard line.hasPrefix("{"), let status = try? JSONDecoder().decode(SolveStatus.self, from: Data(line.utf8)) else { return [] }
        var events: [BuildEvent] = []
        let now = Date()
        for v in status.vertexes ?? [] {
            if let text = v.name, names[v.digest] == nil, var parsed = VertexName(text) {
                if parsed.platform == nil {
                    let fromInputs = Set((v.inputs ?? []).compactMap { names[$0]?.platform })
                    if fromInputs.count == 1 {
                        parsed.platform = fromInputs.first
                    } else if platforms.count > 1 {
                        let n = seenNames[text, default: 0]
                        seenNames[text] = n + 1
                        parsed.platform = platforms[min(n, platforms.count - 1)]
                    }
                }
                names[v.digest] = parsed
                ids[v.digest] = "\(node)/" + v.digest.dropFirst(7).prefix(12)
            }
            if let error = v.error, !error.isEmpty { lastError = (v.name ?? v.digest, error) }
            guard let name = names[v.digest] else { continue }
            let before = reported[v.digest]
            guard !Self.isFinal(before) else { continue }
            var next: [BuildEvent.Status] = []
            if v.cached == true {
                next = [.cached]
                cachedSteps += 1
            } else if let error = v.error, !error.isEmpty {
                next = (before == nil ? [.started] : []) + [error.contains("context canceled") ? .canceled : .failed(error)]
            } else if v.completed != nil {
                next = (before == nil ? [.started] : []) + [.done]
                executedSteps += 1
            } else if v.started != nil, before == nil {
                next = [.started]
            }
            for status in next { events.append(event(name, v.digest, status, now)) }
            if let last = next.last { reported[v.digest] = last }
        }
        for log in status.logs ?? [] {
            guard let name = names[log.vertex], let data = log.data else { continue }
            let text = (partial[log.vertex] ?? "") + String(decoding: data, as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            partial[log.vertex] = lines.popLast()
            for l in lines { events.append(event(name, log.vertex, .output(l), now)) }
        }
        for w in status.warnings ?? [] {
            if let short = w.short { warnings.append(String(decoding: short, as: UTF8.self)) }
        }
        return events
    }

    private static func isFinal(_ s: BuildEvent.Status?) -> Bool {
        switch s {
        case .cached?, .done?, .failed?, .canceled?: return true
        default: return false
        }
    }

    private func event(_ name: VertexName, _ digest: String, _ status: BuildEvent.Status, _ time: Date) -> BuildEvent {
        let p = name.platform ?? platforms[0]
        let stage = name.stage.map { $0.hasPrefix("stage-") && $0.dropFirst(6).allSatisfy(\.isNumber) ? String($0.dropFirst(6)) : $0 } ?? "0"
        return BuildEvent(vertex: ids[digest] ?? "\(node)/\(digest)", stage: stage, platform: p, step: name.step, steps: name.steps,
                          instruction: name.instruction, status: status, time: time)
    }
}
