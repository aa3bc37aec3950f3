import CSystem

#if canImport(Glibc)
import Glibc
#endif

/// Looks paths up in a stage's root filesystem as overlayfs would show it, without
/// mounting: the lower directories top-down, overlay whiteouts (0:0 character devices)
/// and opaque directories honoured. COPY uses it to place files as Docker does (a file
/// copied to an existing directory goes inside it) and to give the parents it writes the
/// image's own mode and owner; a RUN's layer to leave out what the step did not change.
public struct LowerStack: Sendable {
    /// Bottom first, as StageResult keeps them.
    public let lowers: [String]

    public init(lowers: [String]) { self.lowers = lowers }

    public func lookup(_ imagePath: String) -> stat? {
        locate(imagePath)?.st
    }

    /// Where the entry at `imagePath` really is: the host path in the topmost directory
    /// that has it, and its metadata.
    public func locate(_ imagePath: String) -> (path: String, st: stat)? {
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

    /// `imagePath` (absolute) with the symlinks on its way followed inside the root, as
    /// BuildKit resolves a COPY destination: `/viadir/f` with `/viadir -> real` is
    /// `/real/f`. A path that leaves the root stays at `/`; a loop stops after 255 links.
    public func resolve(_ imagePath: String) -> String {
        var pending = PathClean.relative(imagePath).split(separator: "/").map(String.init)
        var resolved: [String] = []
        var hops = 0
        while !pending.isEmpty {
            let part = pending.removeFirst()
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = resolved.popLast(); continue }
            let path = "/" + (resolved + [part]).joined(separator: "/")
            guard let (host, st) = locate(path), (st.st_mode & S_IFMT) == S_IFLNK, hops < 255 else {
                resolved.append(part)
                continue
            }
            hops += 1
            guard let link = try? FileSystem.readLink(host), !link.isEmpty else { resolved.append(part); continue }
            let target = String(decoding: link, as: UTF8.self)
            if target.hasPrefix("/") { resolved = [] }
            pending = target.split(separator: "/").map(String.init) + pending
        }
        return "/" + resolved.joined(separator: "/")
    }

    public func isDirectory(_ imagePath: String) -> Bool {
        lookup(imagePath).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
    }

    private static func isOpaque(_ path: String) -> Bool {
        var value = [UInt8](repeating: 0, count: 2)
        let n = lgetxattr(path, "trusted.overlay.opaque", &value, 2)
        return n == 1 && value[0] == UInt8(ascii: "y")
    }
}
