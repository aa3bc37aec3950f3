import Foundation
import OCI
import Plan

/// A build on a builder's buildkitd nodes: the nodes are asked what they build, each
/// platform is given to one (see `PlatformScheduler`), every node builds its platforms in
/// one buildctl call, all nodes at once; the first failure stops the others. The results
/// are in the store as one image per platform, for mab to join, tag, export and report.
public struct BuildKitBackend: Sendable {
    public let buildctl: Buildctl
    public let nodes: [BuilderNode]

    public init(buildctl: Buildctl, nodes: [BuilderNode]) {
        self.buildctl = buildctl
        self.nodes = nodes
    }

    /// Every node's capabilities, asked at once.
    public func probe() throws -> [NodeCapabilities] {
        let results = Locked([Int: Result<NodeCapabilities, any Error>]())
        let (buildctl, nodes) = (self.buildctl, self.nodes)
        BlockingThreads.concurrent(nodes.count) { i in
            let r = Result { try buildctl.probe(nodes[i]) }
            results.withLock { $0[i] = r }
        }
        return try (0..<nodes.count).map { try results.value[$0]!.get() }
    }

    /// The nice value the probe runs at (see `startProbe`).
    static let probeNiceness: Int32 = 10

    /// Starts `probe` on a thread of its own (so it overlaps planning); the closure waits
    /// for it and gives its result. Answers `cache` keeps for every node are given without
    /// asking; fresh ones are kept in it.
    public func startProbe(cache: NodeAnswerCache? = nil) -> @Sendable () throws -> [NodeCapabilities] {
        if let kept = cache?.answers(for: nodes) { return { kept } }
        let result = Locked<Result<[NodeCapabilities], any Error>?>(nil)
        let done = DispatchGroup()
        let backend = self
        BlockingThreads.start(in: done) {
            // At a lower priority (this thread, so the threads it starts and the buildctl
            // they spawn): a build that did not wait for the answer has its own buildctl
            // starting at the same moment, and on a small machine the two Go start-ups
            // would share the cores. With idle cores it makes no difference.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.probeNiceness)
            let answers = Result { try backend.probe() }
            if case .success(let fresh) = answers { cache?.record(fresh) }
            result.value = answers
        }
        return {
            done.wait()
            return try result.value!.get()
        }
    }

    /// The buildctl command line of each assignment, for `--dry-run`.
    public func commandLines(_ assignments: [NodeAssignment], request: (NodeAssignment) -> BuildctlRequest) -> [String] {
        assignments.map { BuildctlRequest.shellQuoted([buildctl.path] + request($0).arguments(connection: $0.node.connectionArguments)) }
    }

    /// Runs every assignment at once; the first failure (in time) stops the others and is
    /// the error thrown.
    public func build(_ assignments: [NodeAssignment], request: @escaping @Sendable (NodeAssignment) -> BuildctlRequest, store: ContentStore,
                      stop: any StopSwitch, events: @escaping @Sendable (BuildEvent) -> Void) throws -> [BuildctlResult] {
        let results = Locked([Int: Result<BuildctlResult, any Error>]())
        let firstFailure = Locked<(any Error)?>(nil)
        let own = OwnStop(parent: stop)
        let buildctl = self.buildctl
        BlockingThreads.concurrent(assignments.count) { i in
            let r = Result { try buildctl.build(assignments[i], request: request(assignments[i]), store: store, stop: own, events: events) }
            results.withLock { $0[i] = r }
            if case .failure(let e) = r {
                let first = firstFailure.withLock { f -> Bool in
                    if f == nil { f = e; return true }
                    return false
                }
                if first { own.cancel() }
            }
        }
        if let e = firstFailure.value { throw e }
        return try (0..<assignments.count).map { try results.value[$0]!.get() }
    }

    /// The image each platform of `result` built, read from the store.
    public static func images(of result: BuildctlResult, store: ContentStore) throws -> [PlatformImage] {
        guard let root = result.index.manifests.first else { throw OCIError.archive(path: "node \(result.assignment.node.name)", detail: "the OCI layout lists no image") }
        let resolver = ImageResolver(read: { try store.read($0) })
        return try result.assignment.platforms.map { platform in
            var m = try resolver.manifest(for: root, platform: platform, what: "the image node \(result.assignment.node.name) built")
            let manifest = try ImageGraph.decode(ImageManifest.self, try store.read(m.digest), what: "manifest \(m.digest)")
            let config = try ImageGraph.decode(ImageConfig.self, try store.read(manifest.config.digest), what: "config \(manifest.config.digest)")
            m.platform = config.platform
            m.annotations = nil
            return PlatformImage(platform: config.platform, manifest: m, config: manifest.config, layers: manifest.layers, diffIDs: config.rootfs.diffIDs)
        }
    }
}

/// A stop switch of the build's own: stopped with the build, or by the first failing node.
final class OwnStop: StopSwitch, @unchecked Sendable {
    private let handlers = StopHandlers()
    let parent: any StopSwitch

    init(parent: any StopSwitch) { self.parent = parent }

    var isCancelled: Bool { parent.isCancelled || handlers.isStopped }

    func cancel() { handlers.stop() }

    func whileRunning<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        try handlers.whileRunning(stop: stop) { try parent.whileRunning(stop: stop, body) }
    }
}
