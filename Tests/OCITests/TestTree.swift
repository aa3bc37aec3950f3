import CSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Builds small real file trees for layer tests, with fixed modes, owners and times.
struct TestTree {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("mab-oci-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func path(_ rel: String) -> String { rel.isEmpty ? root : root + "/" + rel }

    func dir(_ rel: String, mode: mode_t = 0o755, mtime: Int = 1_700_000_000) {
        mkdir(path(rel), mode)
        chmod(path(rel), mode)
    }

    func file(_ rel: String, _ contents: String, mode: mode_t = 0o644) {
        FileManager.default.createFile(atPath: path(rel), contents: Data(contents.utf8))
        chmod(path(rel), mode)
    }

    func symlink(_ rel: String, to target: String) {
        Glibc.symlink(target, path(rel))
    }

    func hardlink(_ rel: String, to existing: String) {
        link(path(existing), path(rel))
    }

    /// Sets every mtime in the tree (directories last), not following symlinks.
    func touchAll(_ seconds: Int) throws {
        var paths: [String] = [root]
        if let e = FileManager.default.enumerator(atPath: root) {
            for case let rel as String in e { paths.append(path(rel)) }
        }
        for p in paths.reversed() {
            var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
            utimensat(AT_FDCWD, p, &times, AT_SYMLINK_NOFOLLOW)
        }
    }

    /// A tree with every kind of entry a layer must keep.
    static func sample() throws -> TestTree {
        let t = try TestTree()
        t.dir("bin")
        t.file("bin/tool", "#!/bin/sh\necho tool\n", mode: 0o755)
        t.dir("etc")
        t.file("etc/config", "key=value\n", mode: 0o600)
        t.hardlink("etc/config-link", to: "etc/config")
        t.symlink("etc/alias", to: "config")
        t.dir("a-b")
        t.file("a-b/x", "x")
        t.dir("a")
        t.file("a/z", "z")
        t.dir("empty", mode: 0o700)
        mkfifo(t.path("a/fifo"), 0o640)
        setxattr(t.path("bin/tool"), "user.mab.test", "yes", 3, 0)
        chown(t.path("etc/config"), 1000, 1000)
        try t.touchAll(1_700_000_000)
        return t
    }
}
