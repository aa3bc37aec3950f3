import CArchive
import CSystem

#if canImport(Glibc)
import Glibc
#endif

/// Applies a layer (tar, tar+gzip, tar+zstd) onto a root directory: whiteouts and opaque
/// directories, hardlinks, symlinks, ownership (when root), modes, mtimes, xattrs. Safe
/// against hostile layers: absolute names and `..` are refused, and every path is
/// resolved inside the root (see `ScopedDirectory`), so nothing outside can be touched.
public struct LayerExtractor: Sendable {
    public var applyOwnership: Bool
    /// Layers have whiteouts; an archive that ADD unpacks does not: its `.wh.` names are
    /// ordinary files there.
    public var whiteouts = true
    /// Every entry of the archive owned by this instead of the owner it records (ADD
    /// --chown of an archive); directories the archive does not list stay root's.
    public var owner: (uid: UInt32, gid: UInt32)?

    public init(applyOwnership: Bool = geteuid() == 0) {
        self.applyOwnership = applyOwnership
    }

    /// What an extraction did.
    public struct Stats: Sendable, Hashable {
        public var entries = 0
        public var whiteouts = 0
        public var skippedDevices = 0
    }

    private struct DeferredDirectory {
        var components: [String]
        var mode: mode_t
        var mtime: Int
    }

    /// Extracts the layer file at `layerPath` onto `root`.
    public func apply(layerAt layerPath: String, onto root: String) throws -> Stats {
        try read(layerPath, anyCompression: false) { try apply(archive: $0, what: layerPath, onto: root) }
    }

    /// Unpacks a tar archive, plain or compressed with gzip, bzip2, xz or zstd, onto
    /// `root` as ADD does: no whiteouts, the same safety as for layers.
    public func unpack(archiveAt path: String, onto root: String) throws -> Stats {
        var plain = self
        plain.whiteouts = false
        return try read(path, anyCompression: true) { try plain.apply(archive: $0, what: path, onto: root) }
    }

    /// Whether the (possibly compressed) file at `path` holds a tar archive: its first
    /// header reads. ADD decides by content, as BuildKit does: gzip data that is no tar is
    /// copied as it is.
    public static func isTarArchive(at path: String) -> Bool {
        guard let a = mab_archive_read_new() else { return false }
        defer { mab_archive_read_free(a) }
        for support in [mab_archive_read_support_filter_gzip, mab_archive_read_support_filter_zstd, mab_archive_read_support_filter_bzip2,
                        mab_archive_read_support_filter_xz, mab_archive_read_support_filter_none, mab_archive_read_support_format_tar] {
            _ = support(a)
        }
        guard mab_archive_read_open_filename(a, path, 1 << 16) == ARCHIVE_OK else { return false }
        var entry: OpaquePointer?
        let rc = mab_archive_read_next_header(a, &entry)
        return rc == ARCHIVE_OK || rc == ARCHIVE_WARN
    }

    /// Opens `path` as a tar (gzip, zstd or none; with `anyCompression` also bzip2 and xz;
    /// an empty file is an empty layer) for `body`.
    private func read(_ path: String, anyCompression: Bool, _ body: (OpaquePointer) throws -> Stats) throws -> Stats {
        guard let a = mab_archive_read_new() else { throw OCIError.archive(path: path, detail: ArchiveLibrary.unavailableReason) }
        defer { mab_archive_read_free(a) }
        mab_archive_read_support_filter_gzip(a)
        mab_archive_read_support_filter_zstd(a)
        if anyCompression {
            mab_archive_read_support_filter_bzip2(a)
            mab_archive_read_support_filter_xz(a)
        }
        mab_archive_read_support_filter_none(a)
        mab_archive_read_support_format_tar(a)
        if !anyCompression { mab_archive_read_support_format_empty(a) }
        guard mab_archive_read_open_filename(a, path, 1 << 20) == ARCHIVE_OK else {
            throw OCIError.corruptLayer(what: path, detail: Self.message(a))
        }
        return try body(a)
    }

    /// libarchive's last error on `a`.
    public static func message(_ a: OpaquePointer) -> String {
        mab_archive_error_string(a).map { String(cString: $0) } ?? "unreadable archive"
    }

    private func apply(archive a: OpaquePointer, what: String, onto root: String) throws -> Stats {
        let scope = try ScopedDirectory(root: root)
        var stats = Stats()
        var created = Set<String>()
        var directories: [DeferredDirectory] = []
        var entry: OpaquePointer?
        while true {
            let rc = mab_archive_read_next_header(a, &entry)
            if rc == ARCHIVE_EOF { break }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let entry else {
                throw OCIError.corruptLayer(what: what, detail: Self.message(a))
            }
            let name = mab_archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            let components = try Self.components(of: name)
            if components.isEmpty { continue }
            stats.entries += 1
            let base = components.last!
            let parentComponents = Array(components.dropLast())

            if whiteouts && base.hasPrefix(".wh.") {
                stats.whiteouts += 1
                let (dirFD, resolved) = try scope.open(parentComponents, create: true, entry: name)
                if base == ".wh..wh..opq" {
                    let prefix = resolved.joined(separator: "/")
                    for child in try Self.list(dirFD) where !created.contains(prefix.isEmpty ? child : prefix + "/" + child) {
                        try Self.removeAt(dirFD, child, path: root + "/" + prefix + "/" + child)
                    }
                } else {
                    let victim = String(base.dropFirst(4))
                    guard victim != "." && victim != ".." && !victim.isEmpty else {
                        throw OCIError.unsafeEntry(entry: name, reason: "whiteout names no file")
                    }
                    try Self.removeAt(dirFD, victim, path: root + "/" + (resolved + [victim]).joined(separator: "/"))
                }
                scope.invalidate()
                continue
            }

            let (dirFD, resolved) = try scope.open(parentComponents, create: true, entry: name)
            let resolvedPath = (resolved + [base]).joined(separator: "/")
            let mode = mab_archive_entry_mode(entry)
            let type = mode & S_IFMT
            let perm = mode & 0o7777
            let uid = owner?.uid ?? uid_t(truncatingIfNeeded: mab_archive_entry_uid(entry))
            let gid = owner?.gid ?? gid_t(truncatingIfNeeded: mab_archive_entry_gid(entry))
            let mtime = Int(mab_archive_entry_mtime(entry))

            var existing = stat()
            let exists = fstatat(dirFD, base, &existing, AT_SYMLINK_NOFOLLOW) == 0
            let hardlink = mab_archive_entry_hardlink(entry).map { String(cString: $0) }
            if exists && !(type == S_IFDIR && (existing.st_mode & S_IFMT) == S_IFDIR) {
                try Self.removeAt(dirFD, base, path: root + "/" + resolvedPath)
                scope.invalidate()
            }
            let (fd, _) = try scope.open(parentComponents, create: true, entry: name)
            created.insert(resolvedPath)
            let full = root + "/" + resolvedPath

            if let hardlink {
                let targetComponents = try Self.components(of: hardlink, entry: name)
                guard let targetBase = targetComponents.last else {
                    throw OCIError.unsafeEntry(entry: name, reason: "hardlink has no target")
                }
                let scopeForTarget = try ScopedDirectory(root: root)
                let (targetDir, _) = try scopeForTarget.open(Array(targetComponents.dropLast()), create: false, entry: name)
                var tst = stat()
                guard fstatat(targetDir, targetBase, &tst, AT_SYMLINK_NOFOLLOW) == 0 else {
                    throw OCIError.unsafeEntry(entry: name, reason: "hardlink target \"\(hardlink)\" does not exist in the layer or below")
                }
                guard (tst.st_mode & S_IFMT) != S_IFDIR else {
                    throw OCIError.unsafeEntry(entry: name, reason: "hardlink target \"\(hardlink)\" is a directory")
                }
                if linkat(targetDir, targetBase, fd, base, 0) != 0 { throw FileSystem.errnoError(full, "link") }
                continue
            }

            switch type {
            case S_IFDIR:
                if !exists || (existing.st_mode & S_IFMT) != S_IFDIR {
                    if mkdirat(fd, base, 0o700) != 0 && errno != EEXIST { throw FileSystem.errnoError(full, "mkdir") }
                }
                if applyOwnership { fchownat(fd, base, uid, gid, AT_SYMLINK_NOFOLLOW) }
                try setXattrs(entry, fd: fd, name: base, path: full, follow: true)
                directories.append(DeferredDirectory(components: resolved + [base], mode: perm, mtime: mtime))
            case S_IFREG:
                let out = openat(fd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard out >= 0 else { throw FileSystem.errnoError(full, "create") }
                defer { close(out) }
                try copyData(a, to: out, path: full, what: what, entry: name)
                if applyOwnership { fchown(out, uid, gid) }
                fchmod(out, perm)
                try setXattrs(entry, fd: out, name: nil, path: full, follow: true)
                var times = [timespec(tv_sec: mtime, tv_nsec: 0), timespec(tv_sec: mtime, tv_nsec: 0)]
                futimens(out, &times)
            case S_IFLNK:
                let target = mab_archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
                if symlinkat(target, fd, base) != 0 { throw FileSystem.errnoError(full, "symlink") }
                if applyOwnership { fchownat(fd, base, uid, gid, AT_SYMLINK_NOFOLLOW) }
                var times = [timespec(tv_sec: mtime, tv_nsec: 0), timespec(tv_sec: mtime, tv_nsec: 0)]
                utimensat(fd, base, &times, AT_SYMLINK_NOFOLLOW)
            case S_IFCHR, S_IFBLK, S_IFIFO:
                if type != S_IFIFO && !applyOwnership {
                    stats.skippedDevices += 1
                    created.remove(resolvedPath)
                    continue
                }
                let dev = type == S_IFIFO ? 0 : mab_archive_entry_rdev(entry)
                if mknodat(fd, base, type | perm, dev) != 0 { throw FileSystem.errnoError(full, "mknod") }
                if applyOwnership { fchownat(fd, base, uid, gid, AT_SYMLINK_NOFOLLOW) }
                fchmodat(fd, base, perm, 0)
                var times = [timespec(tv_sec: mtime, tv_nsec: 0), timespec(tv_sec: mtime, tv_nsec: 0)]
                utimensat(fd, base, &times, AT_SYMLINK_NOFOLLOW)
            default:
                throw OCIError.unsafeEntry(entry: name, reason: "unsupported entry type \(String(type, radix: 8))")
            }
        }
        scope.invalidate()
        // Directory modes and times last, deepest first, so children did not disturb them.
        for dir in directories.reversed() {
            let (fd, _) = try scope.open(Array(dir.components.dropLast()), create: false, entry: dir.components.joined(separator: "/"))
            let base = dir.components.last!
            fchmodat(fd, base, dir.mode, 0)
            var times = [timespec(tv_sec: dir.mtime, tv_nsec: 0), timespec(tv_sec: dir.mtime, tv_nsec: 0)]
            utimensat(fd, base, &times, AT_SYMLINK_NOFOLLOW)
        }
        return stats
    }

    /// Splits an entry name into components, refusing absolute names and `..`.
    static func components(of name: String, entry: String? = nil) throws -> [String] {
        let subject = entry.map { _ in "hardlink target \"\(name)\"" } ?? "path"
        if name.hasPrefix("/") {
            throw OCIError.unsafeEntry(entry: entry ?? name, reason: entry == nil ? "absolute path" : "\(subject) is absolute")
        }
        var out: [String] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { throw OCIError.unsafeEntry(entry: entry ?? name, reason: "\(subject) climbs out of the root with \"..\"") }
            out.append(String(part))
        }
        return out
    }

    private func copyData(_ a: OpaquePointer, to fd: Int32, path: String, what: String, entry: String) throws {
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        var written: Int64 = 0
        while true {
            let rc = mab_archive_read_data_block(a, &block, &size, &offset)
            if rc == ARCHIVE_EOF { break }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN else {
                throw OCIError.corruptLayer(what: what, detail: "\(entry): \(Self.message(a))")
            }
            if Int64(offset) != written {
                // Sparse hole: seek forward.
                lseek(fd, off_t(offset), SEEK_SET)
                written = Int64(offset)
            }
            if let block, size > 0 {
                try FileSystem.writeAll(fd, UnsafeRawBufferPointer(start: block, count: size), path: path)
                written += Int64(size)
            }
        }
        ftruncate(fd, off_t(written))
    }

    private func setXattrs(_ entry: OpaquePointer, fd: Int32, name: String?, path: String, follow: Bool) throws {
        guard mab_archive_entry_xattr_reset(entry) > 0 else { return }
        var key: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while mab_archive_entry_xattr_next(entry, &key, &value, &size) == ARCHIVE_OK {
            guard let key else { continue }
            let rc: Int32
            if name == nil {
                rc = fsetxattr(fd, key, value, size, 0)
            } else {
                rc = lsetxattr(path, key, value, size, 0)
            }
            if rc != 0 && applyOwnership && errno != ENOTSUP {
                throw FileSystem.errnoError(path, "setxattr \(String(cString: key))")
            }
        }
    }

    static func list(_ fd: Int32) throws -> [String] {
        let dupFD = dup(fd)
        guard let dir = fdopendir(dupFD) else { close(dupFD); throw FileSystem.errnoError("<dir>", "opendir") }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw -> String in
                let bytes = raw.bindMemory(to: UInt8.self)
                return String(decoding: bytes[0..<(bytes.firstIndex(of: 0) ?? bytes.count)], as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `name` in the directory `fd` (recursively, never following symlinks).
    static func removeAt(_ fd: Int32, _ name: String, path: String) throws {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { throw FileSystem.errnoError(path, "open") }
            defer { close(child) }
            for n in try list(child) { try removeAt(child, n, path: path + "/" + n) }
            if unlinkat(fd, name, AT_REMOVEDIR) != 0 { throw FileSystem.errnoError(path, "rmdir") }
        } else if unlinkat(fd, name, 0) != 0 {
            throw FileSystem.errnoError(path, "unlink")
        }
    }
}
