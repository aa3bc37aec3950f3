import Executor
import Explain
import Foundation
import OCI
import Plan

/// The native executor as a backend: `ImageBuilder` on this machine.
struct NativeBuild: BuildBackend {
    var store: ContentStore
    var contextDirectory: String
    var writer: LayerWriter
    var created: String
    var useCache: Bool
    var binfmt: Binfmt
    var secrets: [String: [UInt8]]
    var entitlements: Set<Entitlement>
    var registry: RegistryOptions
    var environment: [String: String]
    /// Why steps will miss, shown as they start (`CacheExplainer`).
    var missReasons: [String: String] = [:]
    /// Where the build's record goes once it succeeded, and under which name.
    var records: (store: BuildRecordStore, id: String)?

    var preamble: [String] { [] }

    func build(_ plan: BuildPlan, display: any ProgressDisplay, stop: Cancellation) throws -> BackendBuild {
        let (store, registry, environment) = (self.store, self.registry, self.environment)
        let builder = ImageBuilder(
            store: store, plan: plan, contextDirectory: contextDirectory, writer: writer, created: created, useCache: useCache,
            binfmt: binfmt, cancellation: stop, secrets: secrets, entitlements: entitlements,
            fetchImage: { ref, p in try BuildCommand.baseImage(ref, platform: p, store: store, options: registry) },
            fetchURL: { try URLDownloader(environment: environment).fetch($0, to: $1) },
            progress: { display.event($0) })
        builder.missReasons = missReasons
        let images = try builder.build()
        try stop.check()
        if let records {
            let record = BuildRecord(plan: plan, layerFormat: ImageBuilder.layerFormat(writer), finished: Timestamp.rfc3339(Int64(Date().timeIntervalSince1970)),
                                     cache: builder.stepCache)
            try records.store.save(record, as: records.id, entries: plan.contextEntries)
        }
        return BackendBuild(
            images: plan.platforms.compactMap { images[$0] },
            annotate: { text in
                for (i, image) in text.images.enumerated() {
                    guard let platform = image.platform, let steps = builder.provenance[platform], steps.count == image.layers.count else { continue }
                    for (j, step) in steps.enumerated() {
                        text.images[i].layers[j].cacheKey = step?.cacheKey
                        text.images[i].layers[j].cacheHit = step?.cached
                    }
                }
            },
            stepsRun: builder.executedSteps, stepsCached: builder.cachedSteps,
            // The layers are in the store: the scratch directories go while the outputs are written.
            finishing: { builder.removeScratch() })
    }
}
