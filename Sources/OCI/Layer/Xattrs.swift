import CSystem
#if canImport(Glibc)
import Glibc
#endif

/// Extended attributes of a path (not following symlinks), sorted by name.
enum Xattrs {
    /// Attributes that describe the host, not the image.
    static func isPortable(_ name: String) -> Bool {
        !(name == "security.selinux" || name.hasPrefix("system.") || name.hasPrefix("trusted.overlay."))
    }

    static func read(_ path: String) -> [(name: String, value: [UInt8])] {
        let size = llistxattr(path, nil, 0)
        guard size > 0 else { return [] }
        var names = [CChar](repeating: 0, count: size)
        let n = llistxattr(path, &names, size)
        guard n > 0 else { return [] }
        var out: [(String, [UInt8])] = []
        var start = 0
        for i in 0..<n where names[i] == 0 {
            let name = String(decoding: names[start..<i].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            start = i + 1
            guard !name.isEmpty, isPortable(name) else { continue }
            let vsize = lgetxattr(path, name, nil, 0)
            guard vsize >= 0 else { continue }
            var value = [UInt8](repeating: 0, count: vsize)
            if vsize > 0 { guard lgetxattr(path, name, &value, vsize) == vsize else { continue } }
            out.append((name, value))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    static func value(_ path: String, _ name: String) -> [UInt8]? {
        let vsize = lgetxattr(path, name, nil, 0)
        guard vsize >= 0 else { return nil }
        var value = [UInt8](repeating: 0, count: vsize)
        if vsize > 0 { guard lgetxattr(path, name, &value, vsize) == vsize else { return nil } }
        return value
    }
}
