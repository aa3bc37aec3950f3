import OCI

#if canImport(Glibc)
import Glibc
#endif

/// COPY's file placement with Docker's documented rules, into a fresh directory that
/// becomes the step's layer: a source directory's *contents* are copied; a file goes to
/// `DEST/NAME` when DEST ends in `/`, else to DEST itself; several sources need a `DEST/`;
/// relative destinations are under WORKDIR; parents are created (0755, mtime 0); copied
/// entries keep their mode and mtime, and are owned by root unless `--chown` says otherwise.
public struct CopyStep: Sendable {
    public struct Source: Sendable, Hashable {
        /// The directory the path is relative to (a build context or a stage's root).
        public var root: String
        public var path: String

        public init(root: String, path: String) {
            self.root = root
            self.path = path
        }
    }

    public var sources: [Source]
    public var destination: String
    public var workingDirectory: String
    public var owner: (uid: UInt32, gid: UInt32)?
    public var mode: mode_t?

    public init(sources: [Source], destination: String, workingDirectory: String = "/", owner: (uid: UInt32, gid: UInt32)? = nil, mode: mode_t? = nil) {
        self.sources = sources
        self.destination = destination
        self.workingDirectory = workingDirectory
        self.owner = owner
        self.mode = mode
    }

    /// The image path the destination names (absolute, cleaned), and whether it is a directory.
    func target() -> (path: String, isDirectory: Bool) {
        let isDir = destination.hasSuffix("/") || destination == "." || destination.hasSuffix("/.")
        let absolute = destination.hasPrefix("/") ? destination : (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + destination
        return ("/" + PathClean.relative(absolute), isDir)
    }

    /// Lays the copied files out under `layerRoot` as they will appear in the image.
    public func materialize(into layerRoot: String) throws {
        var created: [String] = []
        try place(into: layerRoot, created: &created)
        // Parents made here get a fixed time once their children are in place.
        for dir in created.reversed() {
            var times = [timespec(tv_sec: 0, tv_nsec: 0), timespec(tv_sec: 0, tv_nsec: 0)]
            utimensat(AT_FDCWD, dir, &times, AT_SYMLINK_NOFOLLOW)
        }
    }

    private func place(into layerRoot: String, created: inout [String]) throws {
        let (dest, destIsDir) = target()
        if sources.count > 1 && !destIsDir {
            throw ExecutorError.sandbox("When using COPY with more than one source file, the destination must be a directory and end with a / (\(destination))")
        }
        for source in sources {
            let from = source.path.isEmpty ? source.root : source.root + "/" + source.path
            var st = stat()
            guard lstat(from, &st) == 0 else { throw FileSystem.errnoError(from, "lstat") }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try makeParents(of: dest + "/x", in: layerRoot, created: &created)
                try copyContents(of: from, to: layerRoot + dest)
            } else {
                let name = source.path.split(separator: "/").last.map(String.init) ?? source.path
                let to = destIsDir ? dest + "/" + name : dest
                try makeParents(of: to, in: layerRoot, created: &created)
                try copyEntry(from, to: layerRoot + to)
            }
        }
    }

    private func makeParents(of imagePath: String, in layerRoot: String, created: inout [String]) throws {
        var current = layerRoot
        let parts = imagePath.split(separator: "/").dropLast()
        for part in parts {
            current += "/" + part
            if !FileSystem.exists(current) {
                if mkdir(current, 0o755) != 0 { throw FileSystem.errnoError(current, "mkdir") }
                chmod(current, 0o755)
                created.append(current)
            }
        }
    }

    private func copyContents(of dir: String, to target: String) throws {
        if !FileSystem.exists(target) { try FileSystem.makeDirectories(target) }
        for name in try FileSystem.list(dir) {
            try copyEntry(dir + "/" + name, to: target + "/" + name)
        }
        try applyMetadata(of: dir, to: target, isDirectory: true)
    }

    private func copyEntry(_ from: String, to: String) throws {
        var st = stat()
        guard lstat(from, &st) == 0 else { throw FileSystem.errnoError(from, "lstat") }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            try copyContents(of: from, to: to)
            return
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(from, &buffer, Int(PATH_MAX))
            guard n >= 0 else { throw FileSystem.errnoError(from, "readlink") }
            unlink(to)
            buffer[n] = 0
            if symlink(buffer, to) != 0 { throw FileSystem.errnoError(to, "symlink") }
        case S_IFREG:
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

    private func applyMetadata(of from: String, to: String, isDirectory: Bool) throws {
        var st = stat()
        guard lstat(from, &st) == 0 else { return }
        let uid = owner?.uid ?? 0, gid = owner?.gid ?? 0
        lchown(to, uid, gid)
        if (st.st_mode & S_IFMT) != S_IFLNK {
            chmod(to, mode ?? (st.st_mode & 0o7777))
        }
        var times = [st.st_mtim, st.st_mtim]
        utimensat(AT_FDCWD, to, &times, AT_SYMLINK_NOFOLLOW)
    }
}
