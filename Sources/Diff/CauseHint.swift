import Foundation

/// The likely cause of a file that differs between two builds, and its fix, in plain
/// words; nil when nothing is recognised (a file is never blamed on a guess that does not
/// fit what differs).
public enum CauseHint {
    public static func cause(path: String, differences: [FieldDifference], a: FileRecord, b: FileRecord) -> String? {
        let fields = Set(differences.map(\.field))
        if fields == ["tar header"] {
            return "only the tar header differs (its format, or access and change times it stores): the same file, written by another tool"
        }
        if fields == ["mtime"] || fields == ["mtime", "tar header"] {
            return "only the modification time differs: set SOURCE_DATE_EPOCH (mab clamps file times to it)"
        }
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        if fields.contains("content") || fields.contains("size") {
            if path.hasPrefix("/var/log/") {
                return "a log the build writes (apt, dpkg, …) records times: remove it in the same RUN"
            }
            if path == "/var/cache/ldconfig/aux-cache" {
                return "ldconfig's aux-cache records file times: remove it after ldconfig runs"
            }
            if name.hasSuffix(".pyc") {
                return "Python bytecode embeds its source's mtime: set SOURCE_DATE_EPOCH (py_compile then checks hashes) or PYTHONDONTWRITEBYTECODE=1"
            }
            if ["/etc/machine-id", "/var/lib/dbus/machine-id"].contains(path) {
                return "a machine id generated at build time: empty it in the image (systemd makes one at boot)"
            }
            if [".gz", ".tgz", ".zip", ".jar", ".whl", ".egg"].contains(where: name.hasSuffix) {
                return "an archive in the image embeds timestamps (gzip header, zip entries): gzip -n, or tools that honour SOURCE_DATE_EPOCH"
            }
            if let x = a.content, let y = b.content {
                let tx = String(decoding: x, as: UTF8.self), ty = String(decoding: y, as: UTF8.self)
                if looksLikeTime(tx) && looksLikeTime(ty) {
                    return "a timestamp written by the build (date, build time): write $SOURCE_DATE_EPOCH instead of the clock"
                }
                if looksRandom(tx) && looksRandom(ty) {
                    return "a random value written by the build (uuid, build id): derive it from the sources or make it at run time"
                }
                if onlyNumbersDiffer(tx, ty) {
                    return "only numbers differ: a value measured during the build (a du or df size, a count, a PID, a duration): compute it from the sources or at run time"
                }
            }
        }
        if fields.contains("mode") && fields.isSubset(of: ["mode", "mtime"]) {
            return "the permissions differ (a umask, or a tool that sets modes): set them explicitly (COPY --chmod, chmod in the RUN)"
        }
        if fields.contains("owner") && fields.isSubset(of: ["owner", "owner names", "mtime"]) {
            return "the owner differs: set it explicitly (COPY --chown, chown in the RUN)"
        }
        return nil
    }

    /// A year and a clock time, or a 10-digit Unix time, and little else.
    static func looksLikeTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 200 else { return false }
        var digits = 0, run = 0, longest = 0, colons = 0
        for c in bytes {
            if (0x30...0x39).contains(c) { digits += 1; run += 1; longest = max(longest, run) } else { run = 0 }
            if c == 0x3A { colons += 1 }
        }
        let hasYear = (0..<max(0, bytes.count - 3)).contains { i in
            (bytes[i] == 0x31 && bytes[i + 1] == 0x39 || bytes[i] == 0x32 && bytes[i + 1] == 0x30) && (bytes[i + 2...i + 3]).allSatisfy { (0x30...0x39).contains($0) }
        }
        return (hasYear && colons >= 2) || (longest == 10 && digits <= 20)
    }

    /// The same text once every run of digits is taken out, and short.
    static func onlyNumbersDiffer(_ a: String, _ b: String) -> Bool {
        func skeleton(_ s: String) -> String {
            var out = ""
            var inNumber = false
            for c in s {
                if c.isASCII && c.isNumber { if !inNumber { out.append("#") }; inNumber = true } else { out.append(c); inNumber = false }
            }
            return out
        }
        return a.count <= 200 && b.count <= 200 && skeleton(a) == skeleton(b) && skeleton(a).contains("#")
    }

    /// Mostly hex digits (and dashes), at least 16 of them: a uuid, a hash, an id.
    static func looksRandom(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let hex = t.utf8.filter { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }.count
        return hex >= 16 && hex * 10 >= t.utf8.filter { $0 != 0x2D }.count * 9
    }
}
