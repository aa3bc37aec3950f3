import CSystem
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// Looks paths up in a stage's root filesystem as overlayfs would show it, without
/// mounting: the lower directories top-down, overlay whiteouts (0:0 character devices)
/// and opaque directories honoured. COPY uses it to place files as Docker does (a file
/// copied to an existing directory goes inside it) and to give the parents it writes the
/// image's own mode and owner.
struct LowerStack {
    /// Bottom first, as StageResult keeps them.
    let lowers: [String]

    func lookup(_ imagePath: String) -> stat? {
        locate(imagePath)?.st
    }

    /// Where the entry at `imagePath` really is: the host path in the topmost directory
    /// that has it, and its metadata.
    func locate(_ imagePath: String) -> (path: String, st: stat)? {
        let parts = PathClean.relative(imagePath).split(separator: "/").map(String.init)
        if parts.isEmpty { return nil }
        for lower in lowers.reversed() {
            var path = lower
            var opaque = false
            for (i, part) in parts.enumerated() {
                path += "/" + part
                var st = stat()
                guard lstat(path, &st) == 0 else {
                    if opaque { return nil }
                    break
                }
                if (st.st_mode & S_IFMT) == S_IFCHR && st.st_rdev == 0 { return nil }
                if i == parts.count - 1 { return (path, st) }
                guard (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
                if Self.isOpaque(path) { opaque = true }
            }
        }
        return nil
    }

    func isDirectory(_ imagePath: String) -> Bool {
        lookup(imagePath).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
    }

    private static func isOpaque(_ path: String) -> Bool {
        var value = [UInt8](repeating: 0, count: 2)
        let n = lgetxattr(path, "trusted.overlay.opaque", &value, 2)
        return n == 1 && value[0] == UInt8(ascii: "y")
    }
}
