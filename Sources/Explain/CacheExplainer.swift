import Executor
import OCI
import Plan

/// Says, without building, which steps of a plan the build cache holds and why the others
/// miss. It follows the build as the executor would: a layer step hits when the record key
/// it will look up — its step key, the layers below it, what it copies from, the layer
/// format — is in the cache. The layers below are known from the last build's record and
/// from the hits before the step; where they are not (a step before missed), the step
/// misses because its parent did. A miss is explained by the first input of its key that
/// differs from the last build's (`KeyDifference`).
public struct CacheExplainer {
    public var previous: BuildRecord?
    /// The format this build writes layers in (`ImageBuilder.layerFormat`).
    public var layerFormat: String
    public var useCache: Bool
    /// The diffID of the layer the cache holds under a record key, if it does.
    public var lookup: (Digest) -> Digest?
    /// The entries behind a hashed input as the last build kept them (`BuildRecordStore.entries`).
    public var entriesBefore: (String) -> [String: String]?
    /// Fill `StepExplanation.files` with every context entry each step reads.
    public var withFiles = false

    public init(previous: BuildRecord?, layerFormat: String, useCache: Bool, lookup: @escaping (Digest) -> Digest?,
                entriesBefore: @escaping (String) -> [String: String]? = { _ in nil }) {
        self.previous = previous
        self.layerFormat = layerFormat
        self.useCache = useCache
        self.lookup = lookup
        self.entriesBefore = entriesBefore
    }

    /// The reason of a step the last build did not have (or of every step, with no record).
    public static let notRecorded = "no earlier build of this step is recorded"

    public func explain(_ plan: BuildPlan) -> [StepExplanation] {
        let before = Dictionary((previous?.steps ?? []).map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let vertexByKey = Dictionary(plan.vertices.map { ($0.cacheKey, $0.id) }, uniquingKeysWith: { x, _ in x })
        var allHit: [String: Bool] = [:]
        var chains: [String: [Digest]] = [:]
        var out: [StepExplanation] = []
        for v in plan.vertices {
            var parentHit = true
            // The diffIDs below the next layer step, when known; `fromRecord` when they are
            // the last build's (an unchanged base image).
            var below: [Digest]?
            if case .context = v.base { below = [] }
            var fromRecord = false
            // The first config step (ARG, ENV, …) whose key changed since the last layer step:
            // what a following layer step that misses for its parent alone is missing for.
            var configChange: String?
            for (i, step) in v.steps.enumerated() {
                let id = "\(v.id)#\(i + 1)"
                let prev = before[id]
                let own = prev.flatMap { KeyDifference.first(step, $0, entries: { plan.contextEntries?($0) }, entriesBefore: entriesBefore) }
                var files: [String: [String: String]] = [:]
                if withFiles {
                    for input in step.keyParts["inputs"] ?? [] { if let e = plan.contextEntries?(input) { files[input] = e } }
                }
                var e = StepExplanation(
                    id: id, label: Self.label(v, i), instruction: step.instruction, location: "\(plan.recipe):\(step.line)", key: step.cacheKey,
                    inputs: step.keyParts, files: files, makesLayer: Self.makesLayer(step, v, before: prev), hit: false, reason: nil)
                // The stages the step reads (COPY --from, RUN --mount from, FROM a stage).
                let reads = Self.stageInputs(step).compactMap { vertexByKey[$0] }
                let readsHit = reads.allSatisfy { allHit[$0] ?? false }
                if case .from = step.action, !e.makesLayer {
                    e.hit = useCache && prev?.key == step.cacheKey && readsHit
                    // Below the first layer step: nothing on scratch; a base stage's chain when
                    // it was followed here; else (an image, a stage that made no layer) what the
                    // last build had there, as long as the base is unchanged.
                    switch v.base {
                    case .stage: below = reads.first.flatMap { chains[$0] }; fromRecord = true
                    case .scratch: below = []
                    default: below = nil; fromRecord = true
                    }
                    if !e.hit { e.reason = Self.missReason(prev: prev, own: own, useCache: useCache, parentHit: true, readsHit: readsHit, configChange: nil) }
                } else if e.makesLayer {
                    let known = below ?? (fromRecord ? prev?.layer?.below : nil)
                    if useCache && parentHit && readsHit, let known, let prevLayer = prev?.layer {
                        let key = BuildCache.key(stepKey: step.cacheKey, below: known, sources: prevLayer.sources, layerFormat: layerFormat)
                        if let diffID = lookup(key) {
                            e.hit = true
                            below = known + [diffID]
                            if let own { e.reason = "found in the cache from an earlier build (against the last one: \(own))" }
                        }
                    }
                    if !e.hit {
                        e.reason = Self.missReason(prev: prev, own: own, useCache: useCache, parentHit: parentHit, readsHit: readsHit, configChange: configChange)
                            ?? (prev?.layer == nil ? "the last build made no layer here"
                                : layerFormat != previous?.layerFormat ? "the layer format changed: \(previous?.layerFormat ?? "-") → \(layerFormat)"
                                : "its layer is no longer in the cache (pruned)")
                        below = nil
                        fromRecord = false
                    }
                    configChange = nil
                } else {
                    // A config step runs nothing and has no record: it holds while the layers
                    // before it do. A change in it shows in the next layer step's key.
                    e.hit = useCache && parentHit
                    if !useCache { e.reason = "--no-cache" } else if prev == nil { e.reason = Self.notRecorded }
                    if let own {
                        e.reason = "changed since the last build: \(own)"
                        if configChange == nil { configChange = "\(step.instruction) (\(e.location)): \(own)" }
                    }
                    if !e.hit && e.reason == nil { e.reason = "parent step missed" }
                }
                if !e.hit { parentHit = false }
                out.append(e)
            }
            allHit[v.id] = parentHit
            if parentHit, let below { chains[v.id] = below }
        }
        return out
    }

    /// Why a step misses, from what is known before its layer is looked up.
    static func missReason(prev: StepRecord?, own: String?, useCache: Bool, parentHit: Bool, readsHit: Bool, configChange: String?) -> String? {
        if !useCache { return "--no-cache" }
        guard prev != nil else { return Self.notRecorded }
        if let own { return own }
        if !parentHit { return "parent step missed" }
        if let configChange { return "a step before it changed: \(configChange)" }
        if !readsHit { return "a stage it reads missed" }
        return nil
    }

    /// The vertex keys of the stages a step reads (`stage:NAME@KEY` inputs, or its base).
    static func stageInputs(_ step: PlanStep) -> [String] {
        var keys = (step.keyParts["inputs"] ?? []).filter { $0.hasPrefix("stage:") }.compactMap { i in i.lastIndex(of: "@").map { String(i[i.index(after: $0)...]) } }
        if let s = step.keyParts["stage"], s.count == 2 { keys.append(s[1]) }
        return keys
    }

    /// RUN, COPY, ADD, WORKDIR (but one that resolves to `/`: the last build says), and
    /// FROM a directory context make layers.
    static func makesLayer(_ step: PlanStep, _ v: PlanVertex, before: StepRecord?) -> Bool {
        switch step.action {
        case .run, .copy: return true
        case .from: if case .context = v.base { return true } else { return false }
        case .config(let keyword, let values, _):
            guard keyword == "WORKDIR" else { return false }
            return before.map { $0.layer != nil } ?? (values != ["/"])
        }
    }

    static func label(_ v: PlanVertex, _ i: Int) -> String {
        let name = v.stage.allSatisfy(\.isNumber) ? "stage-\(v.stage)" : v.stage
        return "[\(name) \(v.platform) \(i + 1)/\(v.steps.count)]"
    }
}
