import Foundation
import OCI

#if canImport(Glibc)
import Glibc
#endif

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
    /// `lowers`; the step's directory is created under the store's tmp/. `networkFiles`
    /// (`/etc/hosts`, `/etc/resolv.conf` bound read-only) are mounted under the sandbox's
    /// own mounts where the image can take them: not over a symlink, not under a non-directory.
    public func run(_ argv: [String], lowers: [String], sandbox: Sandbox, mountPoints: [SandboxMount] = [], networkFiles: [SandboxMount] = [], output: ((Data) -> Void)? = nil, prepare: ((String) throws -> Void)? = nil) throws -> Outcome {
        let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "step")
        var mount = try OverlayMount(lowers: lowers, in: dir)
        // Mount points bwrap needs must exist in the image. Those it makes stay in the
        // layer, empty, as runc's do under BuildKit.
        let created = ["proc", "dev", "sys"].filter { !FileSystem.exists(mount.merged + "/" + $0) }
        let result: (status: Int32, output: String)
        do {
            for d in created { try FileSystem.makeDirectories(mount.merged + "/" + d) }
            try prepare?(mount.merged)
            let placed = networkFiles.filter { Self.canBindFile(at: $0.target, in: mount.merged) }
            let points = placed + mountPoints
            if !points.isEmpty {
                // The mounts' targets come from a lower layer of their own, so making them
                // changes nothing in the upper directory: the layer never holds them.
                let scaffold = dir + "/mountpoints"
                try Self.makeMountPoints(points, seenIn: mount.merged, into: scaffold)
                mount.unmount()
                mount = try OverlayMount(lowers: lowers + [scaffold], in: dir)
            }
            var box = sandbox
            box.mounts = placed + sandbox.mounts
            box.root = mount.merged
            result = try box.run(argv, output: output)
        } catch {
            // Stopped or failed to start: nothing of the step stays behind.
            mount.unmount()
            try? FileSystem.removeTree(dir)
            throw error
        }
        mount.unmount()
        try? FileSystem.removeTree(dir + "/mountpoints")
        try? FileSystem.removeTree(dir + "/work")
        guard result.status == 0 else {
            return Outcome(status: result.status, output: result.output, layer: nil, upper: mount.upper)
        }
        let layer = try writer.write(.overlayUpper(mount.upper, lowers: lowers), into: store)
        return Outcome(status: 0, output: result.output, layer: layer, upper: mount.upper)
    }

    /// Whether a file can be bound at `target` in the root `merged`: every parent that exists
    /// is a directory (not a symlink), and the target is absent or a regular file.
    static func canBindFile(at target: String, in merged: String) -> Bool {
        var path = merged
        let parts = PathClean.relative(target).split(separator: "/")
        for (i, part) in parts.enumerated() {
            path += "/" + part
            var st = stat()
            guard lstat(path, &st) == 0 else { return true }
            let type = st.st_mode & S_IFMT
            if i == parts.count - 1 { return type == S_IFREG }
            if type != S_IFDIR { return false }
        }
        return false
    }

    /// Builds in `scaffold` the directory tree the mounts' targets need, as a lower layer:
    /// directories that exist in the image (`merged`) are made with their mode, owner and
    /// times, so the merged view shows them unchanged; missing ones are made 0755, and a
    /// file bound in gets an empty file. A target through a symlink is refused.
    static func makeMountPoints(_ mounts: [SandboxMount], seenIn merged: String, into scaffold: String) throws {
        try FileSystem.makeDirectories(scaffold)
        var existing: [(path: String, st: stat)] = []
        for mount in mounts {
            var isFile = false
            if case .bind(let source, _, _) = mount {
                var st = stat()
                isFile = stat(source, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR
            }
            let parts = PathClean.relative(mount.target).split(separator: "/").map(String.init)
            var path = ""
            for (i, part) in parts.enumerated() {
                path += "/" + part
                let last = i == parts.count - 1
                var st = stat()
                var have = stat()
                if lstat(scaffold + path, &have) == 0 { continue }
                if lstat(merged + path, &st) == 0 {
                    switch st.st_mode & S_IFMT {
                    case S_IFLNK:
                        throw ExecutorError.sandbox("mount target \(mount.target): \(path) is a symlink in the image; mount at the path it points to")
                    case S_IFDIR:
                        if mkdir(scaffold + path, st.st_mode & 0o7777) != 0 { throw FileSystem.errnoError(scaffold + path, "mkdir") }
                        if chown(scaffold + path, st.st_uid, st.st_gid) != 0 { throw FileSystem.errnoError(scaffold + path, "chown") }
                        _ = chmod(scaffold + path, st.st_mode & 0o7777)
                        existing.append((path, st))
                    default:
                        guard last else { throw ExecutorError.sandbox("mount target \(mount.target): \(path) is not a directory in the image") }
                    }
                    continue
                }
                if last && isFile {
                    try FileSystem.writeFileAtomically(scaffold + path, [], mode: 0o644)
                } else if mkdir(scaffold + path, 0o755) != 0 {
                    throw FileSystem.errnoError(scaffold + path, "mkdir")
                }
            }
        }
        // Times last, deepest first, once nothing more is created inside.
        for (path, st) in existing.reversed() {
            var times = [st.st_atim, st.st_mtim]
            utimensat(AT_FDCWD, scaffold + path, &times, AT_SYMLINK_NOFOLLOW)
        }
    }
}
