import CSystem
import Foundation
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// Paths inside a root filesystem (a stage's view, an image's snapshot, a context),
/// resolved as if the root were `/`: symlinks are followed, but an absolute target or
/// `..` can never lead outside (openat2 with RESOLVE_IN_ROOT).
enum RootPath {
    /// O_PATH (Glibc hides it behind _GNU_SOURCE).
    private static let pathOnly: Int32 = 0o10000000

    /// The host path that `path` inside `root` names; nil when it does not exist.
    static func resolve(_ path: String, in root: String) throws -> String? {
        let rootFD = open(root, pathOnly | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { throw FileSystem.errnoError(root, "open") }
        defer { close(rootFD) }
        let relative = PathClean.relative(path)
        if relative.isEmpty { return try realPath(of: rootFD, root) }
        let fd = mab_open_in_root(rootFD, relative, pathOnly)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw FileSystem.errnoError(root + "/" + relative, "open")
        }
        defer { close(fd) }
        return try realPath(of: fd, root + "/" + relative)
    }

    private static func realPath(of fd: Int32, _ what: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, Int(PATH_MAX))
        guard n > 0 else { throw FileSystem.errnoError(what, "readlink") }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
