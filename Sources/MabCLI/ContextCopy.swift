import OCI

#if canImport(Glibc)
import Glibc
#endif

/// A build context copied for a varied run of `mab repro`: elsewhere (`context-path`),
/// its entries created in reverse name order (`order`), every mtime moved an hour back
/// (`mtimes`: far enough that no rounding to the second can hide it).
/// Modes, owners and (unless touched) times are kept. Without `touch`, regular files are
/// hard-linked (new names, in the new order, for the same inodes: a fraction of the cost
/// of new files, which a disk filesystem's journal makes dear), falling back to a copy
/// across filesystems; with it, every file is a new inode (a touched link would touch the
/// user's file), and a hard link of the context becomes a file of its own. Sockets and
/// device nodes are left out, as no build reads them from a context.
struct ContextCopy {
    var reverseOrder: Bool
    var touch: Bool

    /// How far `touch` moves every mtime back, seconds.
    static let shift = 3600

    /// Copies the tree at `source` to `destination`, which must not exist.
    func copy(_ source: String, to destination: String) throws {
        var st = stat()
        guard lstat(source, &st) == 0 else { throw FileSystem.errnoError(source, "lstat") }
        try copyEntry(source, destination, st)
    }

    private func copyEntry(_ from: String, _ to: String, _ st: stat) throws {
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            guard mkdir(to, 0o700) == 0 else { throw FileSystem.errnoError(to, "mkdir") }
            var names = try FileSystem.list(from)
            if reverseOrder { names.reverse() }
            for name in names {
                var child = stat()
                guard lstat(from + "/" + name, &child) == 0 else { throw FileSystem.errnoError(from + "/" + name, "lstat") }
                try copyEntry(from + "/" + name, to + "/" + name, child)
            }
            guard chmod(to, st.st_mode & 0o7777) == 0 else { throw FileSystem.errnoError(to, "chmod") }
        case S_IFREG:
            if !touch && link(from, to) == 0 { return }
            try copyFile(from, to, st)
        case S_IFLNK:
            let target = try FileSystem.readLink(from)
            let ok = (target + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { symlink($0.baseAddress!, to) == 0 } }
            guard ok else { throw FileSystem.errnoError(to, "symlink") }
        case S_IFIFO:
            guard mkfifo(to, st.st_mode & 0o7777) == 0 else { throw FileSystem.errnoError(to, "mkfifo") }
        default:
            return
        }
        // Owners only as root (else the copy is the caller's, as the original was).
        if getuid() == 0 { _ = lchown(to, st.st_uid, st.st_gid) }
        var times = [st.st_atim, st.st_mtim]
        if touch { times[1].tv_sec -= Self.shift }
        guard utimensat(AT_FDCWD, to, &times, AT_SYMLINK_NOFOLLOW) == 0 else { throw FileSystem.errnoError(to, "utimensat") }
    }

    private func copyFile(_ from: String, _ to: String, _ st: stat) throws {
        let input = try FileSystem.open(from, O_RDONLY | O_CLOEXEC)
        defer { close(input) }
        let output = try FileSystem.open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        defer { close(output) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let got = try FileSystem.read(input, into: buffer, path: from)
            if got == 0 { break }
            try FileSystem.writeAll(output, UnsafeRawBufferPointer(rebasing: buffer[0..<got]), path: to)
        }
        guard fchmod(output, st.st_mode & 0o7777) == 0 else { throw FileSystem.errnoError(to, "fchmod") }
    }
}
