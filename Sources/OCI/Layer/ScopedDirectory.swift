import CSystem

#if canImport(Glibc)
import Glibc
#endif

/// Resolves directories inside a root as if the root were `/`: symlinks are followed but
/// absolute targets restart at the root and `..` never climbs above it, so no path can
/// lead outside. Every step uses `openat` with `O_NOFOLLOW` on a directory descriptor.
final class ScopedDirectory {
    let rootFD: Int32
    let rootPath: String
    private var cachedKey: [String]?
    private var cachedFD: Int32 = -1
    private var cachedResolved: [String] = []

    init(root: String) throws {
        rootPath = root
        rootFD = Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if rootFD < 0 { throw FileSystem.errnoError(root, "open root") }
    }

    deinit {
        if cachedFD >= 0 { close(cachedFD) }
        close(rootFD)
    }

    func invalidate() {
        if cachedFD >= 0 { close(cachedFD) }
        cachedFD = -1
        cachedKey = nil
    }

    /// Opens the directory at `components` (creating missing ones when `create`); returns a
    /// descriptor the caller must not close, and the resolved components from the root.
    func open(_ components: [String], create: Bool, entry: String) throws -> (fd: Int32, resolved: [String]) {
        if let key = cachedKey, key == components { return (cachedFD, cachedResolved) }
        let (fd, resolved) = try resolve(components, create: create, entry: entry)
        invalidate()
        cachedKey = components
        cachedFD = fd
        cachedResolved = resolved
        return (fd, resolved)
    }

    private func reopen(_ stack: [String], entry: String) throws -> Int32 {
        var fd = dup(rootFD)
        for c in stack {
            let next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(fd)
            if next < 0 { throw OCIError.unsafeEntry(entry: entry, reason: "parent directory \(c) changed during extraction") }
            fd = next
        }
        return fd
    }

    private func resolve(_ components: [String], create: Bool, entry: String) throws -> (Int32, [String]) {
        var queue = components[...]
        var stack: [String] = []
        var fd = dup(rootFD)
        var links = 0
        do {
            while let c = queue.popFirst() {
                if c.isEmpty || c == "." { continue }
                if c == ".." {
                    if !stack.isEmpty { stack.removeLast() }
                    close(fd)
                    fd = try reopen(stack, entry: entry)
                    continue
                }
                var st = stat()
                if fstatat(fd, c, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                    guard errno == ENOENT, create else {
                        throw OCIError.unsafeEntry(entry: entry, reason: "parent \"\((stack + [c]).joined(separator: "/"))\" does not exist")
                    }
                    if mkdirat(fd, c, 0o755) != 0 && errno != EEXIST {
                        throw FileSystem.errnoError(rootPath + "/" + (stack + [c]).joined(separator: "/"), "mkdir")
                    }
                    st.st_mode = S_IFDIR
                }
                switch st.st_mode & S_IFMT {
                case S_IFLNK:
                    links += 1
                    if links > 40 { throw OCIError.unsafeEntry(entry: entry, reason: "too many levels of symbolic links") }
                    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                    let n = readlinkat(fd, c, &buffer, Int(PATH_MAX))
                    guard n >= 0 else { throw FileSystem.errnoError(c, "readlink") }
                    let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if target.hasPrefix("/") {
                        stack = []
                        close(fd)
                        fd = dup(rootFD)
                    }
                    queue = (target.split(separator: "/").map(String.init) + Array(queue))[...]
                case S_IFDIR:
                    let next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    guard next >= 0 else { throw FileSystem.errnoError(rootPath + "/" + (stack + [c]).joined(separator: "/"), "open") }
                    close(fd)
                    fd = next
                    stack.append(c)
                default:
                    throw OCIError.unsafeEntry(entry: entry, reason: "\"\((stack + [c]).joined(separator: "/"))\" is not a directory")
                }
            }
        } catch {
            close(fd)
            throw error
        }
        return (fd, stack)
    }
}
