import OCI
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// COPY/ADD file placement with Docker's documented rules, into a fresh directory that
/// becomes the step's layer: a source directory's *contents* are copied; a file goes to
/// `DEST/NAME` when DEST ends in `/` or is a directory in the image, else to DEST itself;
/// several sources (or a wildcard, or `--parents`) need a `DEST/`; relative destinations
/// are under WORKDIR; missing parents are created 0755 (mtime 0), parents the image
/// already has keep its mode, owner and time; copied entries keep their mode and mtime and
/// are owned by root unless `--chown` says otherwise. Source paths are resolved inside
/// their root (symlinks followed, never out of it). `.dockerignore` and `--exclude`
/// patterns leave files out; ADD's local tar archives are unpacked.
public struct CopyStep: Sendable {
    public struct Source: Sendable, Hashable {
        /// The directory the path is relative to (a build context, a stage's root, …).
        public var root: String
        /// The path in the root, wildcards already expanded.
        public var path: String
        /// With `--parents`: where under the destination it goes (its path, or the part
        /// after a `/./` pivot).
        public var placeAs: String?
        /// ADD: unpack it when it is a tar archive (plain or compressed).
        public var unpack: Bool
        /// `.dockerignore` of the main context, applied to `path` and everything under it.
        public var ignore: IgnoreMatcher?
        /// When `root` is an overlay view of a stage: the directories it stacks (bottom
        /// first), where its files really are.
        public var lowers: [String]?

        public init(root: String, path: String, placeAs: String? = nil, unpack: Bool = false, ignore: IgnoreMatcher? = nil, lowers: [String]? = nil) {
            self.root = root
            self.path = path
            self.placeAs = placeAs
            self.unpack = unpack
            self.ignore = ignore
            self.lowers = lowers
        }
    }

    public var sources: [Source]
    public var destination: String
    public var workingDirectory: String
    public var owner: (uid: UInt32, gid: UInt32)?
    public var mode: ChmodSpec?
    /// `--exclude` patterns, matched against paths relative to each source.
    public var exclude: IgnoreMatcher?
    /// `--parents`: the destination is a directory that the sources keep their paths in.
    public var parents: Bool
    /// Without `--chown`, copied entries keep their owner (COPY from a stage or an image, as
    /// BuildKit copies them); from a build context they are root's.
    public var keepSourceOwner = false
    /// The stage's root filesystem, to see what the destination already is.
    var image: LowerStack

    public init(
        sources: [Source], destination: String, workingDirectory: String = "/", owner: (uid: UInt32, gid: UInt32)? = nil,
        mode: ChmodSpec? = nil, exclude: IgnoreMatcher? = nil, parents: Bool = false, imageLowers: [String] = []
    ) {
        self.sources = sources
        self.destination = destination
        self.workingDirectory = workingDirectory
        self.owner = owner
        self.mode = mode
        self.exclude = exclude
        self.parents = parents
        self.image = LowerStack(lowers: imageLowers)
    }

    /// The image path the destination names (absolute, cleaned), and whether it is a directory.
    func target() -> (path: String, isDirectory: Bool) {
        let isDir = destination.hasSuffix("/") || destination == "." || destination.hasSuffix("/.")
        let absolute = destination.hasPrefix("/") ? destination : (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + destination
        // Symlinks on the way are the image's: followed (a destination through `/lib ->
        // usr/lib` lands in /usr/lib, as in BuildKit). A linked copy sees no image.
        return (image.resolve("/" + PathClean.relative(absolute)), isDir)
    }

    /// When the destination does not exist in the image, what the copy makes depends on the
    /// image only through the destination's ancestors: their metadata, as a string. Nil when
    /// the destination exists (then the image decides more).
    func sharingSignature() -> String? {
        let (dest, _) = target()
        if dest == "/" || image.lookup(dest) != nil { return nil }
        var signature = ""
        var path = ""
        for part in dest.split(separator: "/").dropLast() {
            path += "/" + part
            if let st = image.lookup(path) {
                signature += "\(path):\(st.st_mode):\(st.st_uid):\(st.st_gid):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec);"
            } else {
                signature += "\(path):-;"
            }
        }
        return signature
    }

    /// Lays the copied files out under `layerRoot` as they will appear in the image.
    public func materialize(into layerRoot: String) throws {
        var created: [(path: String, mtime: timespec)] = []
        try place(into: layerRoot, created: &created)
        // Parents made here get their time once their children are in place.
        for (dir, mtime) in created.reversed() {
            var times = [mtime, mtime]
            utimensat(AT_FDCWD, dir, &times, AT_SYMLINK_NOFOLLOW)
        }
    }

    private func place(into layerRoot: String, created: inout [(path: String, mtime: timespec)]) throws {
        let links = Links()
        var (dest, destIsDir) = target()
        // --parents always copies into the destination, as a directory (BuildKit v0.26 asks
        // for no trailing slash).
        if parents { destIsDir = true }
        if !destIsDir && dest != "/" && image.isDirectory(dest) { destIsDir = true }
        // Several sources go to the destination one after the other, as BuildKit copies
        // them: a directory makes it a directory that later files go into; over a file it
        // is an error; a file over a file replaces it (the last one wins).
        for source in sources {
            links.nextSource()
            if !destIsDir && FileSystem.isDirectory(layerRoot + dest) { destIsDir = true }
            guard let from = try RootPath.resolve(source.path, in: source.root) else {
                throw ExecutorError.sandbox("\(source.path.isEmpty ? "." : source.path): not found")
            }
            if let ignore = source.ignore, !source.path.isEmpty, ignore.prunes(source.path, isDirectory: FileSystem.isDirectory(from)) { continue }
            var st = stat()
            guard stat(from, &st) == 0 else { throw FileSystem.errnoError(from, "stat") }
            let name = source.path.split(separator: "/").last.map(String.init) ?? source.path
            if (st.st_mode & S_IFMT) == S_IFDIR {
                let to = source.placeAs.map { dest + "/" + $0 } ?? dest
                if FileSystem.exists(layerRoot + to) && !FileSystem.isDirectory(layerRoot + to) {
                    throw ExecutorError.sandbox("cannot copy to non-directory: \(to)")
                }
                let made = !FileSystem.exists(layerRoot + to)
                try makeParents(of: to + "/x", in: layerRoot, created: &created)
                try copyContents(of: from, to: layerRoot + to, relative: "", contextPath: source.path, ignore: source.ignore, origin: origin(source, from), links: links)
                if made { stampDestination(layerRoot + to, imagePath: to) }
            } else if source.unpack && ArchiveSniffer.isArchive(from) {
                // As BuildKit unpacks: --chown owns the archive's entries (their modes,
                // setuid bits too, as the archive has them) and the destination it makes;
                // directories the archive does not list are root's 0755; --chmod is not
                // applied to an archive's contents.
                try makeParents(of: dest + "/x", in: layerRoot, created: &created)
                var extractor = LayerExtractor()
                extractor.owner = owner
                _ = try extractor.unpack(archiveAt: from, onto: layerRoot + dest)
            } else {
                if let exclude, exclude.excludes(name) { continue }
                let to = source.placeAs.map { dest + "/" + $0 } ?? (destIsDir ? dest + "/" + name : dest)
                try makeParents(of: to, in: layerRoot, created: &created)
                try copyEntry(from, to: layerRoot + to, origin: origin(source, from), links: links)
            }
        }
    }

    /// The directory a directory source's contents went into, as BuildKit makes it: as the
    /// image has it when it does; else 0755 (an octal `--chmod` instead; a symbolic one is
    /// for the contents only), owned by `--chown`'s owner or root. (copyContents gave it the
    /// source directory's; its time is set with the parents', see `materialize`.)
    private func stampDestination(_ path: String, imagePath: String) {
        if let st = image.lookup(imagePath), (st.st_mode & S_IFMT) == S_IFDIR {
            lchown(path, st.st_uid, st.st_gid)
            chmod(path, st.st_mode & 0o7777)
            return
        }
        lchown(path, owner?.uid ?? 0, owner?.gid ?? 0)
        if case .octal(let m)? = mode { chmod(path, m) } else { chmod(path, 0o755) }
    }

    /// Creates the parents of `imagePath` in the layer: as the image has them (mode,
    /// owner, time) when it does, else 0755 with time 0, owned by `--chown`'s owner or root
    /// (BuildKit makes them with the copy's owner).
    private func makeParents(of imagePath: String, in layerRoot: String, created: inout [(path: String, mtime: timespec)]) throws {
        var current = layerRoot
        var imageCurrent = ""
        let parts = imagePath.split(separator: "/").dropLast()
        for part in parts {
            current += "/" + part
            imageCurrent += "/" + part
            if !FileSystem.exists(current) {
                if mkdir(current, 0o755) != 0 { throw FileSystem.errnoError(current, "mkdir") }
                if let st = image.lookup(imageCurrent), (st.st_mode & S_IFMT) == S_IFDIR {
                    chmod(current, st.st_mode & 0o7777)
                    lchown(current, st.st_uid, st.st_gid)
                    created.append((current, st.st_mtim))
                } else {
                    chmod(current, 0o755)
                    if let owner { lchown(current, owner.uid, owner.gid) }
                    created.append((current, timespec(tv_sec: 0, tv_nsec: 0)))
                }
            }
        }
    }

    /// Copies the entries of `dir`; `relative` is their path under the copied source (for
    /// `--exclude`), `contextPath` under the context root (for `.dockerignore`).
    /// Maps a host path under the source to the file that really holds it (through a
    /// stage's stack of directories), for hardlinking.
    typealias Origin = (String) -> String?

    /// Which inodes the layer shares, so that its hardlinks are the sources' own: files
    /// hardlinked within one source stay linked (BuildKit keeps them), and a file reached
    /// by two sources (two symlinks to it) becomes two files, never a hardlink pair.
    final class Links {
        /// Within the current source: a source inode → the layer path that has it.
        var inSource: [String: String] = [:]
        /// Source inodes an earlier source already hardlinked into the layer.
        var linkedBefore: Set<String> = []
        var linkedNow: Set<String> = []

        func nextSource() {
            inSource = [:]
            linkedBefore.formUnion(linkedNow)
            linkedNow = []
        }
    }

    private func origin(_ source: Source, _ resolved: String) -> Origin {
        guard let lowers = source.lowers else { return { $0 } }
        let stack = LowerStack(lowers: lowers)
        let rootPrefix = (try? RootPath.resolve("", in: source.root)) ?? source.root
        return { path in
            guard path.hasPrefix(rootPrefix + "/") else { return nil }
            return stack.locate(String(path.dropFirst(rootPrefix.count)))?.path
        }
    }

    private func copyContents(of dir: String, to target: String, relative: String, contextPath: String, ignore: IgnoreMatcher?, origin: Origin, links: Links) throws {
        if !FileSystem.exists(target) { try FileSystem.makeDirectories(target) }
        for name in try FileSystem.list(dir).sorted() {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let ctx = contextPath.isEmpty ? name : contextPath + "/" + name
            if let exclude, exclude.excludes(rel) { continue }
            let from = dir + "/" + name
            var st = stat()
            guard lstat(from, &st) == 0 else { throw FileSystem.errnoError(from, "lstat") }
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            if let ignore, ignore.prunes(ctx, isDirectory: isDir) { continue }
            if isDir {
                try copyContents(of: from, to: target + "/" + name, relative: rel, contextPath: ctx, ignore: ignore, origin: origin, links: links)
            } else {
                try copyEntry(from, to: target + "/" + name, origin: origin, links: links)
            }
        }
        try applyMetadata(of: dir, to: target, isDirectory: true)
    }

    private func copyEntry(_ from: String, to: String, origin: Origin, links: Links) throws {
        var st = stat()
        guard lstat(from, &st) == 0 else { throw FileSystem.errnoError(from, "lstat") }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            try copyContents(of: from, to: to, relative: "", contextPath: "", ignore: nil, origin: origin, links: links)
            return
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(from, &buffer, Int(PATH_MAX))
            guard n >= 0 else { throw FileSystem.errnoError(from, "readlink") }
            unlink(to)
            buffer[n] = 0
            if symlink(buffer, to) != 0 { throw FileSystem.errnoError(to, "symlink") }
        case S_IFREG:
            // What an earlier source put here goes first: it may be a hardlink to a source
            // file, which writing through would change (two sources of one name, `COPY d1/ d2/
            // /dest/`, once rewrote d1's file in the build context).
            if unlink(to) != 0 && errno != ENOENT { throw FileSystem.errnoError(to, "unlink") }
            // A file that would come out exactly as it is (owner, mode; times are shared) is
            // hardlinked: on the same filesystem that saves making an inode and copying its
            // bytes. Layer directories are never written to, so the link changes nothing.
            let key = "\(st.st_dev):\(st.st_ino)"
            // A hardlink of a file this source already put in the layer stays a hardlink.
            if st.st_nlink > 1, let first = links.inSource[key], link(first, to) == 0 { return }
            let (uid, gid) = ids(for: st)
            let perm = st.st_mode & 0o7777
            if st.st_uid == uid && st.st_gid == gid && (mode?.apply(to: perm, isDirectory: false) ?? perm) == perm,
               let real = origin(from) {
                var rst = stat()
                let realKey = lstat(real, &rst) == 0 ? "\(rst.st_dev):\(rst.st_ino)" : key
                if !links.linkedBefore.contains(realKey), link(real, to) == 0 {
                    links.linkedNow.insert(realKey)
                    links.inSource[key] = to
                    return
                }
            }
            defer { links.inSource[key] = to }
            let input = try FileSystem.open(from, O_RDONLY)
            defer { close(input) }
            let output = try FileSystem.open(to, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            defer { close(output) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = try FileSystem.read(input, into: buffer, path: from)
                if n == 0 { break }
                try FileSystem.writeAll(output, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), path: to)
            }
        default:
            throw ExecutorError.sandbox("COPY \(from): only files, directories and symlinks can be copied")
        }
        try applyMetadata(of: from, to: to, isDirectory: false)
    }

    /// The owner a copied entry gets: `--chown`'s, else its own from a stage or an image,
    /// else root.
    private func ids(for st: stat) -> (uid: UInt32, gid: UInt32) {
        (owner?.uid ?? (keepSourceOwner ? st.st_uid : 0), owner?.gid ?? (keepSourceOwner ? st.st_gid : 0))
    }

    private func applyMetadata(of from: String, to: String, isDirectory: Bool) throws {
        var st = stat()
        guard lstat(from, &st) == 0 else { return }
        let (uid, gid) = ids(for: st)
        lchown(to, uid, gid)
        if (st.st_mode & S_IFMT) != S_IFLNK {
            chmod(to, mode?.apply(to: st.st_mode & 0o7777, isDirectory: isDirectory) ?? (st.st_mode & 0o7777))
        }
        var times = [st.st_mtim, st.st_mtim]
        utimensat(AT_FDCWD, to, &times, AT_SYMLINK_NOFOLLOW)
    }
}
