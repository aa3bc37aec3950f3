import Foundation
import CSystem
import OCI

/// A flattened root filesystem as text, one line per path: what a user of the image sees
/// (type, mode with setuid/setgid/sticky bits, owner, size and content digest, link
/// target, device numbers, hardlink partner, extended attributes), never times.
///
///     /etc/passwd f0644 0:0 340 3f2a9c81d04e
///     /bin/sh l0777 0:0 -> busybox
///     /x/b f0644 0:0 hardlink /x/a
struct TreeListing: Equatable {
    /// Path (`/` for the root) → its line.
    var entries: [String: String]

    /// Lists the tree under `root` (an unpacked image's rootfs).
    init(root: String) throws {
        entries = [:]
        var firstOfInode: [UInt64: String] = [:]
        func visit(_ path: String, _ name: String) throws {
            var st = stat()
            guard lstat(path, &st) == 0 else { throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path]) }
            let mode = String(st.st_mode & 0o7777, radix: 8)
            var line = "\(name) \(Self.type(st.st_mode))\(String(repeating: "0", count: max(0, 4 - mode.count)) + mode) \(st.st_uid):\(st.st_gid)"
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                if st.st_nlink > 1, let first = firstOfInode[UInt64(st.st_ino)] {
                    line += " hardlink \(first)"
                } else {
                    if st.st_nlink > 1 { firstOfInode[UInt64(st.st_ino)] = name }
                    let data = try Data(contentsOf: URL(fileURLWithPath: path))
                    line += " \(data.count) \(Digest.of([UInt8](data)).hex.prefix(12))"
                }
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(path, &buffer, Int(PATH_MAX))
                line += " -> " + String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            case S_IFCHR, S_IFBLK:
                let dev = UInt64(st.st_rdev)
                line += " \((dev >> 8) & 0xfff | (dev >> 32) & ~0xfff),\(dev & 0xff | (dev >> 12) & ~0xff)"
            default: break
            }
            line += Self.xattrs(path)
            entries[name] = line
            if st.st_mode & S_IFMT == S_IFDIR {
                // Sorted, so that the first of a hardlinked set is the same on every run.
                for child in try FileManager.default.contentsOfDirectory(atPath: path).sorted() {
                    try visit(path + "/" + child, (name == "/" ? "" : name) + "/" + child)
                }
            }
        }
        try visit(root, "/")
    }

    init(text: String) {
        entries = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            entries[String(line.prefix { $0 != " " })] = String(line)
        }
    }

    /// The lines that differ from `base` (a path gone from it is `PATH deleted`), sorted.
    func changes(from base: TreeListing) -> TreeListing {
        var out = entries.filter { base.entries[$0.key] != $0.value }
        for path in base.entries.keys where entries[path] == nil { out[path] = "\(path) deleted" }
        return TreeListing(entries: out)
    }

    init(entries: [String: String]) { self.entries = entries }

    var text: String { entries.keys.sorted().map { entries[$0]! + "\n" }.joined() }

    static func type(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "d"
        case S_IFREG: "f"
        case S_IFLNK: "l"
        case S_IFCHR: "c"
        case S_IFBLK: "b"
        case S_IFIFO: "p"
        case S_IFSOCK: "s"
        default: "?"
        }
    }

    /// ` xattr NAME=DIGEST,…` for the path's extended attributes, or nothing.
    static func xattrs(_ path: String) -> String {
        let size = llistxattr(path, nil, 0)
        guard size > 0 else { return "" }
        var names = [CChar](repeating: 0, count: size)
        let got = llistxattr(path, &names, size)
        guard got > 0 else { return "" }
        let list = names[0..<got].split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) }.sorted()
        let pairs = list.map { name -> String in
            let n = lgetxattr(path, name, nil, 0)
            var value = [UInt8](repeating: 0, count: max(0, n))
            let m = n > 0 ? lgetxattr(path, name, &value, n) : 0
            return "\(name)=\(Digest.of(value[0..<max(0, m)]).hex.prefix(12))"
        }
        return " xattr " + pairs.joined(separator: ",")
    }
}
