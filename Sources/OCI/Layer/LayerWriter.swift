import CArchive
import CSystem

#if canImport(Glibc)
import Glibc
#endif

/// Writes deterministic layers: entries in walk order, explicit ownership and modes,
/// no atime/ctime, mtimes in whole seconds clamped to SOURCE_DATE_EPOCH, xattrs kept,
/// hardlinks, symlinks, devices and FIFOs kept. One pass yields diffID and digest.
public struct LayerWriter: Sendable {
    public var compression: LayerCompression
    public var sourceDateEpoch: Int64?
    public var workers: Int

    public init(compression: LayerCompression = .gzip, sourceDateEpoch: Int64? = nil, workers: Int = 0) {
        self.compression = compression
        self.sourceDateEpoch = sourceDateEpoch
        self.workers = workers > 0 ? workers : Self.defaultWorkers
    }

    static var defaultWorkers: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    enum EntryKind: Hashable { case disk(String), whiteout, opaque }

    struct Planned {
        var name: String
        var kind: EntryKind
    }

    /// Writes the layer to `sink` (the compressed stream).
    public func write(_ source: LayerSource, to sink: any ByteSink) throws -> LayerResult {
        let entries = try plan(source)
        let compressed = HashingSink(forwardingTo: sink)
        let stage: any CompressionStage
        switch compression {
        case .none: stage = BufferedStage(output: sink)
        case .gzip(let level): stage = ParallelGzipStage(level: level, workers: workers, output: compressed)
        case .zstd(let level): stage = try ZstdStage(level: level, workers: workers, output: compressed)
        }
        let uncompressed = HashingSink(forwardingTo: stage)
        let tar = try TarFormatter(sink: uncompressed, what: describe(source))
        var newest: Int64 = 0
        var links: [String: String] = [:]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        for planned in entries {
            let mtime = try writeEntry(planned, tar: tar, links: &links, buffer: buffer)
            newest = max(newest, mtime)
        }
        try tar.finish()
        try stage.finish()
        let uncompressedSize = uncompressed.count
        let diffID = uncompressed.hasher.finalize()
        let size = compression == .none ? uncompressedSize : compressed.count
        let digest = compression == .none ? diffID : compressed.hasher.finalize()
        return LayerResult(
            diffID: diffID, digest: digest, size: size, uncompressedSize: uncompressedSize,
            mediaType: compression.mediaType, newestModification: newest)
    }

    /// Writes the layer into the store as a blob.
    public func write(_ source: LayerSource, into store: ContentStore) throws -> LayerResult {
        let blob = try store.writer()
        let result = try write(source, to: blob)
        try blob.commit(expectedDigest: result.digest, expectedSize: result.size, what: "layer \(describe(source))")
        return result
    }

    private func describe(_ source: LayerSource) -> String {
        switch source {
        case .directory(let d), .overlayUpper(let d, _), .changes(let d, _): return d
        }
    }

    // MARK: planning

    func plan(_ source: LayerSource) throws -> [Planned] {
        var out: [Planned] = []
        switch source {
        case .directory(let root):
            guard FileSystem.isDirectory(root) else { throw OCIError.io(path: root, operation: "open directory", errno: ENOTDIR) }
            try walk(root, "", into: &out, overlay: false)
        case .overlayUpper(let root, let lowers):
            guard FileSystem.isDirectory(root) else { throw OCIError.io(path: root, operation: "open directory", errno: ENOTDIR) }
            try walk(root, "", into: &out, overlay: true, lowers: lowers, stack: lowers.isEmpty ? nil : LowerStack(lowers: lowers))
        case .changes(let root, let changes):
            var names = Set<String>()
            func addWithParents(_ rel: String) {
                var parts = rel.split(separator: "/").map(String.init)
                while !parts.isEmpty {
                    let name = parts.joined(separator: "/")
                    if !names.insert(name).inserted { break }
                    out.append(Planned(name: name, kind: .disk(root + "/" + name)))
                    parts.removeLast()
                }
            }
            for change in changes {
                switch change {
                case .added(let p), .modified(let p):
                    let rel = PathClean.relative(p)
                    guard !rel.isEmpty else { continue }
                    guard FileSystem.exists(root + "/" + rel) else { throw OCIError.io(path: root + "/" + rel, operation: "lstat", errno: ENOENT) }
                    addWithParents(rel)
                case .deleted(let p):
                    let rel = PathClean.relative(p)
                    guard !rel.isEmpty else { continue }
                    let parent = rel.contains("/") ? String(rel[..<rel.lastIndex(of: "/")!]) : ""
                    if !parent.isEmpty, FileSystem.exists(root + "/" + parent) { addWithParents(parent) }
                    let base = rel.split(separator: "/").last.map(String.init) ?? rel
                    out.append(Planned(name: (parent.isEmpty ? "" : parent + "/") + ".wh." + base, kind: .whiteout))
                case .opaque(let p):
                    let rel = PathClean.relative(p)
                    guard !rel.isEmpty else { continue }
                    addWithParents(rel)
                    out.append(Planned(name: rel + "/.wh..wh..opq", kind: .opaque))
                }
            }
            var seen = Set<String>()
            out = out.filter { seen.insert($0.name).inserted }
        }
        out.sort { PathOrder.precedes($0.name, $1.name) }
        return out
    }

    /// `stack`: the lowers of an overlay upper, whose unchanged copies (see `unchanged`) the
    /// layer leaves out; nil inside a directory the step made opaque.
    private func walk(_ root: String, _ rel: String, into out: inout [Planned], overlay: Bool, lowers: [String] = [], stack: LowerStack? = nil) throws {
        let dir = rel.isEmpty ? root : root + "/" + rel
        for name in try FileSystem.list(dir) {
            let childRel = rel.isEmpty ? name : rel + "/" + name
            let abs = root + "/" + childRel
            var st = stat()
            guard lstat(abs, &st) == 0 else { throw FileSystem.errnoError(abs, "lstat") }
            let type = st.st_mode & S_IFMT
            if overlay && type == S_IFCHR && st.st_rdev == 0 {
                out.append(Planned(name: (rel.isEmpty ? "" : rel + "/") + ".wh." + name, kind: .whiteout))
                continue
            }
            if type != S_IFDIR, let stack, let below = stack.locate(childRel), Self.unchanged(below.path, below.st, abs, st) { continue }
            out.append(Planned(name: childRel, kind: .disk(abs)))
            if type == S_IFDIR {
                var stack = stack
                if overlay, let v = Xattrs.value(abs, "trusted.overlay.opaque"), v == Array("y".utf8) {
                    stack = nil
                    if lowers.isEmpty {
                        out.append(Planned(name: childRel + "/.wh..wh..opq", kind: .opaque))
                    } else {
                        // As BuildKit's differ: a whiteout for each entry the lowers show there
                        // that the step did not make again, none when they show nothing.
                        let mine = Set(try FileSystem.list(abs))
                        for hidden in try Self.entries(of: childRel, in: lowers).subtracting(mine).sorted() {
                            out.append(Planned(name: childRel + "/.wh." + hidden, kind: .whiteout))
                        }
                    }
                }
                try walk(root, childRel, into: &out, overlay: overlay, lowers: lowers, stack: stack)
            }
        }
    }

    /// Whether an upper entry is only a copy of the one below, as BuildKit's overlay differ
    /// decides (`sameDirent`): the same mode, owner, device and `security.capability`, and,
    /// not being a directory, the same size and mtime, with the same content (or link
    /// target) when both times have no nanoseconds. overlayfs copies a file up when a step
    /// only links to it or changes it back: such a copy is no change, and a hardlink to it
    /// is a file of its own in the layer.
    static func unchanged(_ lowerPath: String, _ l: stat, _ upperPath: String, _ u: stat) -> Bool {
        guard l.st_mode == u.st_mode, l.st_uid == u.st_uid, l.st_gid == u.st_gid, l.st_rdev == u.st_rdev,
              Xattrs.value(lowerPath, "security.capability") == Xattrs.value(upperPath, "security.capability"),
              l.st_size == u.st_size, l.st_mtim.tv_sec == u.st_mtim.tv_sec else { return false }
        if l.st_mtim.tv_nsec != 0 || u.st_mtim.tv_nsec != 0 { return l.st_mtim.tv_nsec == u.st_mtim.tv_nsec }
        switch l.st_mode & S_IFMT {
        case S_IFLNK: return (try? FileSystem.readLink(lowerPath)) == (try? FileSystem.readLink(upperPath))
        case S_IFREG: return l.st_size == 0 || FileSystem.sameContent(lowerPath, upperPath)
        default: return true
        }
    }

    /// The names directory `rel` holds in the stack `lowers` (bottom first, overlay upper
    /// directories among them): a 0:0 character device deletes a name, an opaque directory
    /// or a non-directory hides what is below.
    static func entries(of rel: String, in lowers: [String]) throws -> Set<String> {
        var names: Set<String> = []
        for lower in lowers {
            let dir = lower + "/" + rel
            var st = stat()
            guard lstat(dir, &st) == 0 else { continue }
            guard st.st_mode & S_IFMT == S_IFDIR else {
                names = []
                continue
            }
            if Xattrs.value(dir, "trusted.overlay.opaque") == Array("y".utf8) { names = [] }
            for name in try FileSystem.list(dir) {
                var child = stat()
                if lstat(dir + "/" + name, &child) == 0 && child.st_mode & S_IFMT == S_IFCHR && child.st_rdev == 0 {
                    names.remove(name)
                } else {
                    names.insert(name)
                }
            }
        }
        return names
    }

    // MARK: writing

    private func clamp(_ t: Int64) -> Int64 {
        guard let sourceDateEpoch else { return t }
        return min(t, sourceDateEpoch)
    }

    /// Writes one entry; returns its mtime. Times are whole seconds, rounded as Go's
    /// archive/tar rounds them for BuildKit, then clamped to SOURCE_DATE_EPOCH.
    private func writeEntry(_ planned: Planned, tar: TarFormatter, links: inout [String: String], buffer: UnsafeMutableRawBufferPointer) throws -> Int64 {
        let name = Array(planned.name.utf8)
        switch planned.kind {
        case .whiteout, .opaque:
            try tar.writeHeader(TarHeader(name: name, kind: .regular, mode: 0, uid: 0, gid: 0, mtime: clamp(0)))
            return clamp(0)
        case .disk(let path):
            var st = stat()
            guard lstat(path, &st) == 0 else { throw FileSystem.errnoError(path, "lstat") }
            let type = st.st_mode & S_IFMT
            let mtime = clamp(Int64(st.st_mtim.tv_sec) + (st.st_mtim.tv_nsec >= 500_000_000 ? 1 : 0))
            var header = TarHeader(
                name: type == S_IFDIR ? name + [UInt8(ascii: "/")] : name, kind: .regular, mode: Int64(st.st_mode & 0o7777),
                uid: Int64(st.st_uid), gid: Int64(st.st_gid), mtime: mtime)
            header.xattrs = Xattrs.read(path)
            switch type {
            case S_IFREG:
                let key = "\(st.st_dev):\(st.st_ino)"
                if st.st_nlink > 1, let first = links[key] {
                    header.kind = .hardlink
                    header.linkname = Array(first.utf8)
                    try tar.writeHeader(header)
                    return mtime
                }
                if st.st_nlink > 1 { links[key] = planned.name }
                header.size = Int64(st.st_size)
                try tar.writeHeader(header)
                try copyContents(path, expectedSize: Int64(st.st_size), tar: tar, buffer: buffer)
            case S_IFLNK:
                header.kind = .symlink
                header.linkname = try FileSystem.readLink(path)
                try tar.writeHeader(header)
            case S_IFCHR, S_IFBLK:
                header.kind = type == S_IFCHR ? .character : .block
                header.devMajor = Int64(mab_major(st.st_rdev))
                header.devMinor = Int64(mab_minor(st.st_rdev))
                try tar.writeHeader(header)
            case S_IFDIR:
                header.kind = .directory
                try tar.writeHeader(header)
            case S_IFIFO:
                header.kind = .fifo
                try tar.writeHeader(header)
            default:
                // Sockets cannot be archived; like tar, leave them out.
                return 0
            }
            return mtime
        }
    }

    private func copyContents(_ path: String, expectedSize: Int64, tar: TarFormatter, buffer: UnsafeMutableRawBufferPointer) throws {
        let fd = try FileSystem.open(path, O_RDONLY | O_NOFOLLOW)
        defer { close(fd) }
        var total: Int64 = 0
        while total < expectedSize {
            let want = Int(min(Int64(buffer.count), expectedSize - total))
            let n = try FileSystem.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), path: path)
            if n == 0 { break }
            try tar.writeData(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += Int64(n)
        }
        if total != expectedSize {
            throw OCIError.archive(path: path, detail: "file changed while it was being archived (\(total) of \(expectedSize) bytes)")
        }
    }
}
