import Foundation
import OCI
import Plan
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// RUN --mount: bind, cache, tmpfs and secret mounts, set up for one step and undone after.
extension ImageBuilder {
    /// A step's mounts, ready for the sandbox, with what to undo when the step ends.
    struct PreparedMounts {
        var mounts: [SandboxMount] = []
        /// Secrets exposed as environment variables (`env=`).
        var environment: [String: String] = [:]
        /// Mount targets, absolute in the image: the step's layer leaves out the mount
        /// points made for them.
        var targets: [String] = []
        /// Unmount views, release cache locks, delete private copies; in reverse order.
        var undo: [() -> Void] = []

        func release() {
            for u in undo.reversed() { u() }
        }
    }

    func prepareMounts(_ mounts: [RunMount], vertex: PlanVertex, step: PlanStep, workdir: String) throws -> PreparedMounts {
        var prepared = PreparedMounts()
        do {
            for mount in mounts {
                try prepare(mount, vertex: vertex, step: step, workdir: workdir, into: &prepared)
            }
        } catch {
            prepared.release()
            throw error
        }
        return prepared
    }

    private func fail(_ step: PlanStep, _ spec: MountSpec, _ detail: String) -> ExecutorError {
        stepError(step, "RUN --mount=type=\(spec.type.rawValue): \(detail)")
    }

    /// The mount's target as an absolute image path: relative or missing targets are under
    /// WORKDIR, as BuildKit joins them; `/` itself cannot be a mount target.
    private func absoluteTarget(_ target: String?, workdir: String, step: PlanStep, spec: MountSpec) throws -> String {
        let t = target ?? ""
        let path = "/" + PathClean.relative(t.hasPrefix("/") ? t : workdir + "/" + t)
        guard path != "/" else { throw fail(step, spec, "invalid mount target \"/\"") }
        return path
    }

    private func prepare(_ mount: RunMount, vertex: PlanVertex, step: PlanStep, workdir: String, into prepared: inout PreparedMounts) throws {
        let spec = mount.spec
        switch spec.type {
        case .ssh:
            throw fail(step, spec, "SSH agent forwarding is not supported by the native executor; pass a key with a secret mount (--secret id=KEY,src=FILE and --mount=type=secret,id=KEY) instead")
        case .tmpfs:
            let path = try absoluteTarget(spec.target, workdir: workdir, step: step, spec: spec)
            prepared.mounts.append(.tmpfs(target: path, size: spec.size))
            prepared.targets.append(path)
        case .bind:
            let path = try absoluteTarget(spec.target, workdir: workdir, step: step, spec: spec)
            let source = mount.source ?? .context
            var (root, view, _) = try sourceRoot(source, vertex: vertex, step: step)
            if let view { prepared.undo.append { view.unmount() } }
            // A context is seen as COPY sees it: without what its .dockerignore excludes.
            if let ignore = plan.ignore(for: source) { root = try contextView(of: root, ignore: ignore) }
            let sourcePath = spec.source ?? "/"
            guard let host = try RootPath.resolve(sourcePath, in: root) else {
                throw fail(step, spec, "source \(sourcePath) not found in \(Self.describe(mount.source ?? .context))")
            }
            if spec.readOnly {
                prepared.mounts.append(.bind(source: host, target: path, readOnly: true))
            } else {
                // Writable: the step sees its own copy-on-write layer over the source, thrown away after.
                prepared.mounts.append(.bind(source: try scratchCopy(of: host, into: &prepared), target: path, readOnly: false))
            }
            prepared.targets.append(path)
        case .cache:
            if mount.spec.from != nil {
                throw fail(step, spec, "from= (seeding a cache from a stage or image) is not supported by the native executor; fill the cache in the RUN itself")
            }
            let path = try absoluteTarget(spec.target, workdir: workdir, step: step, spec: spec)
            // BuildKit's default id: the target as written, cleaned (Go's path.Clean).
            let written = spec.target ?? "", cleaned = PathClean.relative(written)
            let directory = try cacheMounts.directory(
                id: spec.id ?? (written.hasPrefix("/") ? "/" + cleaned : (cleaned.isEmpty ? "." : cleaned)), sharing: spec.sharing ?? .shared, mode: spec.mode ?? 0o755, uid: spec.uid ?? 0, gid: spec.gid ?? 0,
                cancellation: cancellation, undo: &prepared.undo)
            prepared.mounts.append(.bind(source: directory, target: path, readOnly: spec.readOnly))
            prepared.targets.append(path)
        case .secret:
            let id = spec.id ?? spec.source ?? spec.target.map { ($0 as NSString).lastPathComponent } ?? ""
            guard !id.isEmpty else { throw fail(step, spec, "an id or a target is required") }
            guard let value = secrets[id] else {
                if spec.required {
                    throw fail(step, spec, "secret \(id) is required but was not given (mab build --secret id=\(id),src=FILE or --secret id=\(id),env=VARIABLE)")
                }
                return
            }
            if let env = spec.env {
                prepared.environment[env] = String(decoding: value, as: UTF8.self)
                if spec.target == nil { return }
            }
            let path = try absoluteTarget(spec.target ?? "/run/secrets/\(id)", workdir: workdir, step: step, spec: spec)
            let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "secret")
            prepared.undo.append { try? FileSystem.removeTree(dir) }
            let file = dir + "/" + id.replacingOccurrences(of: "/", with: "_")
            try FileSystem.writeFileAtomically(file, value, mode: mode_t(spec.mode ?? 0o400))
            if chown(file, spec.uid ?? 0, spec.gid ?? 0) != 0 { throw FileSystem.errnoError(file, "chown") }
            prepared.mounts.append(.bind(source: file, target: path, readOnly: true))
            prepared.targets.append(path)
        }
    }

    static func describe(_ source: CopyAction.Source) -> String {
        switch source {
        case .context: return "the build context"
        case .namedContext(let name, _): return "build context \"\(name)\""
        case .stage(let id): return "stage \(id)"
        case .image(let ref): return "image \(ref)"
        }
    }

    /// A writable view of `host` whose changes are discarded: an overlay for a directory,
    /// a copy for a file.
    private func scratchCopy(of host: String, into prepared: inout PreparedMounts) throws -> String {
        let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "bind")
        prepared.undo.append { try? FileSystem.removeTree(dir) }
        var st = stat()
        guard stat(host, &st) == 0 else { throw FileSystem.errnoError(host, "stat") }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            let overlay = try OverlayMount(lowers: [host], in: dir)
            prepared.undo.append { overlay.unmount() }
            return overlay.merged
        }
        let copy = dir + "/file"
        try FileSystem.writeFileAtomically(copy, try FileSystem.readFile(host), mode: st.st_mode & 0o7777)
        return copy
    }
}
