import Foundation
import OCI
import Plan

#if canImport(Glibc)
import Glibc
#endif

/// WORKDIR as BuildKit makes it: `mkdir -p` of the directory as a layer of its own, owned
/// by the stage's USER (a file operation's owner, `UserDatabase.fileOwner`), mode 0755.
/// The layer holds the directories made and every existing directory above them (with
/// their own metadata; the one that gained a child with the time it did); a directory
/// that already exists gives an empty layer, and `WORKDIR /` none.
extension ImageBuilder {
    func makeWorkdir(_ step: PlanStep, reporter: StepReporter, to result: inout StageResult) throws {
        let workdir = Self.workingDirectory(result.config.config)
        guard workdir != "/" else {
            reporter.started()
            return history(step, empty: true, into: &result)
        }
        let key = BuildCache.key(stepKey: step.cacheKey, below: result.diffIDs, sources: [], layerFormat: layerFormat)
        if let hit = cached(key, below: result.diffIDs, reporter: reporter) { return reuse(hit, key: key, step: step, to: &result) }
        let stack = LowerStack(lowers: try lowers(&result))
        let owner = UserDatabase(lowers: try lowers(&result)).fileOwner(result.config.config?.user.flatMap { $0.isEmpty ? nil : $0 } ?? "0")
        let dir = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "workdir")
        locked { cleanup.append(dir) }
        // The path as the image resolves it: a symlink on the way is followed inside the root.
        var pending = PathClean.relative(workdir).split(separator: "/").map(String.init)
        var resolved: [String] = []
        var existing: [(path: String, st: stat)] = []
        var made: [String] = []
        var hops = 0
        while let part = pending.first {
            pending.removeFirst()
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if !resolved.isEmpty { resolved.removeLast(); existing.removeLast() }
                continue
            }
            let path = (resolved + [part]).joined(separator: "/")
            guard let found = stack.locate(path) else {
                made = [part] + pending.filter { $0 != "." && !$0.isEmpty }
                break
            }
            if (found.st.st_mode & S_IFMT) == S_IFLNK {
                hops += 1
                guard hops <= 40 else { throw stepError(step, "WORKDIR \(workdir): too many symbolic links") }
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: found.path)
                if target.hasPrefix("/") { (resolved, existing) = ([], []) }
                pending = target.split(separator: "/").map(String.init) + pending
                continue
            }
            guard (found.st.st_mode & S_IFMT) == S_IFDIR else {
                throw stepError(step, "WORKDIR \(workdir): /\(path) is not a directory")
            }
            resolved.append(part)
            existing.append((path, found.st))
        }
        if !made.isEmpty {
            // Existing directories above: their own mode and owner.
            for entry in existing {
                let path = dir + "/" + entry.path
                if mkdir(path, entry.st.st_mode & 0o7777) != 0 { throw FileSystem.errnoError(path, "mkdir") }
                if chown(path, entry.st.st_uid, entry.st.st_gid) != 0 { throw FileSystem.errnoError(path, "chown") }
                _ = chmod(path, entry.st.st_mode & 0o7777)
            }
            var path = dir + (existing.last.map { "/" + $0.path } ?? "")
            for part in made {
                path += "/" + part
                if mkdir(path, 0o755) != 0 { throw FileSystem.errnoError(path, "mkdir") }
                if chown(path, owner.uid, owner.gid) != 0 { throw FileSystem.errnoError(path, "chown") }
                _ = chmod(path, 0o755)
            }
            // Times last, deepest first: the one that gained a directory changed now.
            let now = timespec(tv_sec: time(nil), tv_nsec: 0)
            for (i, entry) in existing.enumerated().reversed() {
                var times = i == existing.count - 1 ? [now, now] : [entry.st.st_atim, entry.st.st_mtim]
                utimensat(AT_FDCWD, dir + "/" + entry.path, &times, AT_SYMLINK_NOFOLLOW)
            }
        }
        let layer = try writer.write(.directory(dir), into: store)
        try cache.record(key, layer)
        try addLayer(layer, dir: dir, key: key, step: step, to: &result)
    }
}
