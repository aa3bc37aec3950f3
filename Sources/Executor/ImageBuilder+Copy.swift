import Foundation
import OCI
import Plan
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// COPY and ADD: sources from the context, a named context, a stage, an image, heredocs
/// and (ADD) URLs; wildcards, `--parents`, `--exclude`, `--chown`, `--chmod`; ADD unpacks
/// local tar archives. The layer is built straight from the sources, no sandbox.
extension ImageBuilder {
    static func isURL(_ source: String) -> Bool {
        source.hasPrefix("http://") || source.hasPrefix("https://")
    }

    /// The file name an ADD URL is saved under: the last element of its path.
    static func fileName(of url: String) -> String {
        var path = Substring(url)
        if let scheme = path.range(of: "://") { path = path[scheme.upperBound...] }
        path = path.prefix { $0 != "?" && $0 != "#" }
        let name = path.split(separator: "/").dropFirst().last.map(String.init) ?? ""
        return name.isEmpty || name == "." || name == ".." ? "index.html" : name
    }

    func copyFiles(_ copy: CopyAction, step: PlanStep, vertex: PlanVertex, reporter: StepReporter, to result: inout StageResult) throws {
        let keyword = copy.isAdd ? "ADD" : "COPY"
        func fail(_ detail: String) -> ExecutorError { stepError(step, "\(keyword) \(detail)") }

        var sources: [[Digest]] = []
        if case .stage(let id) = copy.from {
            guard let source = locked({ results[id] }) else { throw fail("stage \(id) was not built") }
            sources.append(source.diffIDs)
        }
        // An image source enters the key by its layers, so a moved tag is a miss.
        var image: BaseImage?
        if case .image(let ref) = copy.from {
            image = try fetchImage(ref, vertex.platform)
            sources.append(image?.config.rootfs.diffIDs ?? [])
        }
        let urls = copy.isAdd ? copy.sources.filter(Self.isURL) : []
        for src in copy.sources where src.hasPrefix("git@") || (Self.isURL(src) && src.hasSuffix(".git")) {
            throw fail("\(src): git sources are not supported by the native executor; clone in a RUN step or a build context instead")
        }
        if let checksum = copy.checksum {
            guard urls.count == 1, copy.sources.count == 1 else { throw fail("--checksum=\(checksum): needs exactly one http(s) source") }
            guard (try? Digest(parsing: checksum))?.algorithm == "sha256" else {
                throw fail("--checksum=\(checksum): expected sha256:<64 hex digits>")
            }
        }
        let mode = try copy.chmod.map { text -> ChmodSpec in
            guard let spec = ChmodSpec(text) else { throw fail("--chmod=\(text): not an octal mode or symbolic clauses like u=rwx,go=rx") }
            return spec
        }

        // URLs: their contents are part of the key, so they are fetched before the cache is
        // asked, unless --checksum already says what they hold.
        var downloads: [String: String] = [:]
        let downloadDir = urls.isEmpty ? nil : try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "add")
        defer { if let downloadDir { try? FileSystem.removeTree(downloadDir) } }
        func download(_ url: String) throws {
            guard let fetchURL, let downloadDir else { throw fail("\(url): no downloader is configured") }
            let name = Self.fileName(of: url)
            let file = downloadDir + "/" + String(downloads.count) + "/" + name
            try FileSystem.makeDirectories(FileSystem.parent(file))
            let (digest, modified): (Digest, Int64?)
            do { (digest, modified) = try fetchURL(url, file) } catch { throw fail("\(url): \(error)") }
            if let expected = copy.checksum, digest.description != expected {
                throw fail("\(url): checksum mismatch: expected \(expected), got \(digest)")
            }
            chmod(file, 0o600)
            var time = [timespec(tv_sec: Int(modified ?? 0), tv_nsec: 0), timespec(tv_sec: Int(modified ?? 0), tv_nsec: 0)]
            utimensat(AT_FDCWD, file, &time, 0)
            downloads[url] = file
            if copy.checksum == nil { sources.append([digest]) }
        }
        if copy.checksum == nil { for url in urls { try download(url) } }

        let key = BuildCache.key(stepKey: step.cacheKey, below: result.diffIDs, sources: sources, layerFormat: layerFormat)
        if let hit = cached(key, below: result.diffIDs, sources: sources, reporter: reporter) { return reuse(hit, key: key, step: step, to: &result) }
        if copy.checksum != nil { for url in urls { try download(url) } }

        let workdir = Self.workingDirectory(result.config.config)
        let owner = try copy.chown.map { UserDatabase(lowers: try lowers(&result)).fileOwner($0) }
        let exclude: IgnoreMatcher?
        do { exclude = copy.exclude.isEmpty ? nil : try IgnoreMatcher(patterns: copy.exclude) } catch { throw fail("--exclude: \(error)") }

        // Where local sources are read: a directory, or a read-only overlay of a stage.
        let local = copy.sources.filter { !Self.isURL($0) }
        let (root, view, stageLowers) = local.isEmpty ? ("", nil, nil) : try sourceRoot(copy.from, vertex: vertex, step: step, image: image)
        defer { view?.unmount() }
        let ignore = plan.ignore(for: copy.from)
        var entries: [CopyStep.Source] = []
        let destination = copy.destination
        for src in copy.sources {
            if let file = downloads[src] {
                entries.append(.init(root: FileSystem.parent(file), path: (file as NSString).lastPathComponent))
                continue
            }
            // --parents keeps each source's path; a `/./` in it marks where the kept part starts.
            var pattern = src
            var pivot = ""
            if copy.parents, let r = src.range(of: "/./") {
                pivot = PathClean.relative(String(src[..<r.lowerBound]))
                pattern = String(src[..<r.lowerBound]) + "/" + String(src[r.upperBound...])
            }
            let paths: [String]
            if SourcePattern.hasWildcard(pattern) {
                // A wildcard that matches nothing copies nothing (BuildKit's AllowEmptyWildcard).
                paths = try SourcePattern.expand(pattern, in: root).filter { ignore?.excludes($0) != true }
            } else {
                let path = PathClean.relative(pattern)
                let host = try RootPath.resolve(path, in: root)
                guard let host, ignore.map({ path.isEmpty || !$0.prunes(path, isDirectory: FileSystem.isDirectory(host)) }) ?? true else {
                    throw fail("failed: \"\(src)\" not found in \(Self.describe(copy.from))" + (ignore != nil ? " (or excluded by .dockerignore)" : ""))
                }
                paths = [path]
            }
            for path in paths {
                let placeAs = copy.parents ? String(path.dropFirst(pivot.isEmpty ? 0 : pivot.count + 1)) : nil
                entries.append(.init(root: root, path: path, placeAs: placeAs, unpack: copy.isAdd && copy.unpack != false, ignore: ignore, lowers: stageLowers))
            }
        }
        if !copy.inline.isEmpty {
            let heredocs = try FileSystem.makeTemporaryDirectory(in: store.root + "/tmp", prefix: "heredoc")
            locked { cleanup.append(heredocs) }
            for doc in copy.inline {
                let name = PathClean.relative(doc.path)
                guard !name.isEmpty, !name.contains("/") else { throw fail("<<\(doc.path): not a file name") }
                try FileSystem.writeFileAtomically(heredocs + "/" + name, Array(doc.data.utf8), mode: 0o644)
                var zero = [timespec(tv_sec: 0, tv_nsec: 0), timespec(tv_sec: 0, tv_nsec: 0)]
                utimensat(AT_FDCWD, heredocs + "/" + name, &zero, 0)
                entries.append(.init(root: heredocs, path: name))
            }
        }
        var placement = CopyStep(
            sources: entries, destination: destination, workingDirectory: workdir, owner: owner, mode: mode, exclude: exclude,
            // --link copies onto nothing, as BuildKit's linked copy: the destination and its
            // parents are not looked up in the image (`COPY --link f /tmp` makes a file /tmp).
            parents: copy.parents, imageLowers: copy.link ? [] : try lowers(&result))
        switch copy.from {
        case .stage, .image: placement.keepSourceOwner = true
        case .context, .namedContext: break
        }
        let make = { () throws -> CopyMemo.Made in
            let dir = try FileSystem.makeTemporaryDirectory(in: self.store.root + "/tmp", prefix: "copy")
            self.locked { self.cleanup.append(dir) }
            do { try placement.materialize(into: dir) } catch let error as ExecutorError {
                guard case .sandbox(let detail) = error else { throw error }
                throw fail(detail)
            }
            return CopyMemo.Made(directory: dir, layer: try self.writer.write(.directory(dir), into: self.store))
        }
        // The same COPY from a context for several platforms makes the same files when the
        // destination is new to each image: made once, its directory and layer shared.
        let shared = copy.inline.isEmpty && urls.isEmpty && (copy.from == .context || { if case .namedContext = copy.from { return true } else { return false } }())
        let made = try placement.sharingSignature().flatMap { signature in
            shared ? try copyMemo.run("\(copy)|\(workdir)|\(destination)|\(owner.map { "\($0.uid):\($0.gid)" } ?? "")|\(signature)", make) : nil
        } ?? make()
        let (dir, layer) = (made.directory, made.layer)
        try cache.record(key, layer)
        try addLayer(layer, dir: dir, key: key, step: step, to: &result)
    }
}
