import Foundation
import OCI

/// Runs one RUN step on top of a stack of root-filesystem directories and turns what it
/// wrote into a layer: overlayfs gives the diff (the upper directory), bubblewrap the
/// isolation; mount points the sandbox itself needed are left out of the layer.
public struct StepRunner: Sendable {
    public let store: ContentStore
    public let writer: LayerWriter

    public init(store: ContentStore, writer: LayerWriter) {
        self.store = store
        self.writer = writer
    }

    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        /// The step's layer (nil when the command failed).
        public var layer: LayerResult?
        /// The upper directory: the step's changes, to stack under later steps.
        public var upper: String
    }

    /// Runs `argv` in `sandbox` (whose `root` is ignored: the merged overlay is used) on
    /// `lowers`; the step's directory is created under the store's tmp/.
    public func run(_ argv: [String], lowers: [String], sandbox: Sandbox, output: ((Data) -> Void)? = nil, prepare: ((String) throws -> Void)? = nil) throws -> Outcome {
        let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "step")
        let mount = try OverlayMount(lowers: lowers, in: dir)
        var box = sandbox
        box.root = mount.merged
        // Mount points bwrap needs must exist in the image; note the ones it would create.
        let created = ["proc", "dev", "tmp"].filter { !FileSystem.exists(mount.merged + "/" + $0) }
        let result: (status: Int32, output: String)
        do {
            for d in created { try FileSystem.makeDirectories(mount.merged + "/" + d) }
            try prepare?(mount.merged)
            result = try box.run(argv, output: output)
        } catch {
            // Stopped or failed to start: nothing of the step stays behind.
            mount.unmount()
            try? FileSystem.removeTree(dir)
            throw error
        }
        mount.unmount()
        for d in created { try? FileSystem.removeTree(mount.upper + "/" + d) }
        try? FileSystem.removeTree(dir + "/work")
        guard result.status == 0 else {
            return Outcome(status: result.status, output: result.output, layer: nil, upper: mount.upper)
        }
        let layer = try writer.write(.overlayUpper(mount.upper), into: store)
        return Outcome(status: 0, output: result.output, layer: layer, upper: mount.upper)
    }
}
