#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin throwing wrappers over the POSIX calls the store and layers need.
public enum FileSystem {
    public static func errnoError(_ path: String, _ operation: String) -> OCIError {
        .io(path: path, operation: operation, errno: errno)
    }

    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        if fd < 0 { throw errnoError(path, "open") }
        return fd
    }

    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw errnoError(path, "write")
            }
            offset += n
        }
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { (b: UnsafeRawBufferPointer) throws in try writeAll(fd, b, path: path) }
    }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw errnoError(path, "read")
            }
            return n
        }
    }

    public static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { (b: UnsafeMutableRawBufferPointer) throws in try read(fd, into: b, path: path) }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Writes a whole file atomically: temp file in the same directory, fsync, rename.
    public static func writeFileAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws {
        let dir = parent(path)
        let tmp = "\(dir)/.tmp-\(basename(path))-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode)
        do {
            try writeAll(fd, bytes, path: tmp)
            if fsync(fd) != 0 { throw errnoError(tmp, "fsync") }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        if rename(tmp, path) != 0 {
            let e = errnoError(path, "rename")
            unlink(tmp)
            throw e
        }
        syncDirectory(dir)
    }

    public static func syncDirectory(_ dir: String) {
        let fd = Glibc.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if path.isEmpty || isDirectory(path) { return }
        let p = parent(path)
        if p != path { try makeDirectories(p, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw errnoError(path, "mkdir") }
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    /// The target of the symlink at `path`, as bytes.
    public static func readLink(_ path: String) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buffer.withUnsafeMutableBufferPointer { readlink(path, UnsafeMutableRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), Int(PATH_MAX)) }
        guard n >= 0 else { throw errnoError(path, "readlink") }
        return Array(buffer[0..<n])
    }

    /// Whether two regular files hold the same bytes (false when either cannot be read).
    public static func sameContent(_ a: String, _ b: String) -> Bool {
        let fa = Glibc.open(a, O_RDONLY | O_CLOEXEC), fb = Glibc.open(b, O_RDONLY | O_CLOEXEC)
        defer { if fa >= 0 { close(fa) }; if fb >= 0 { close(fb) } }
        guard fa >= 0, fb >= 0 else { return false }
        let size = 1 << 16
        let x = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        let y = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { x.deallocate(); y.deallocate() }
        while true {
            guard let n = try? read(fa, into: x, path: a), let m = try? read(fb, into: y, path: b), n == m else { return false }
            if n == 0 { return true }
            if memcmp(x.baseAddress!, y.baseAddress!, n) != 0 { return false }
        }
    }

    /// Names in a directory (without `.` and `..`), sorted by bytes.
    public static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw errnoError(path, "opendir") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.bindMemory(to: UInt8.self)
                let len = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: bytes[0..<len], as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Removes a file or a whole tree (never following symlinks).
    public static func removeTree(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw errnoError(path, "rmdir") }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw errnoError(path, "unlink")
        }
    }

    public static func parent(_ path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return "." }
        if i == path.startIndex { return "/" }
        return String(path[..<i])
    }

    public static func basename(_ path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: i)...])
    }

    /// A fresh directory under `parent` named `prefix-XXXXXX`.
    public static func makeTemporaryDirectory(in parentDir: String, prefix: String) throws -> String {
        try makeDirectories(parentDir)
        var template = Array("\(parentDir)/\(prefix)-XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else { throw errnoError(parentDir, "mkdtemp") }
        return String(cString: result)
    }
}
