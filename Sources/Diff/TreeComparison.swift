import Foundation
import OCI

/// Compares two sets of records path by path: what was added, removed or changed, and how.
public struct TreeComparison: Sendable {
    /// Leaves modification times out (`--ignore-timestamps`).
    public var ignoreTimestamps: Bool
    /// Compares the tar headers' format and extra times too (layer by layer, where they
    /// explain a diffID that differs; a flattened filesystem has no headers).
    public var tarHeaders: Bool

    public init(ignoreTimestamps: Bool = false, tarHeaders: Bool = false) {
        self.ignoreTimestamps = ignoreTimestamps
        self.tarHeaders = tarHeaders
    }

    public func compare(_ a: [String: FileRecord], _ b: [String: FileRecord]) -> [FileChange] {
        var out: [FileChange] = []
        for path in Set(a.keys).union(b.keys).sorted() {
            switch (a[path], b[path]) {
            case (nil, _?): out.append(FileChange(path: path, kind: .added))
            case (_?, nil): out.append(FileChange(path: path, kind: .removed))
            case (let x?, let y?):
                let d = differences(x, y)
                if !d.isEmpty { out.append(FileChange(path: path, kind: .changed, differences: d, cause: CauseHint.cause(path: path, differences: d, a: x, b: y))) }
            default: break
            }
        }
        return out
    }

    /// Every field of the two records that differs.
    public func differences(_ x: FileRecord, _ y: FileRecord) -> [FieldDifference] {
        var d: [FieldDifference] = []
        func add(_ field: String, _ a: String, _ b: String) { if a != b { d.append(FieldDifference(field: field, a: a, b: b)) } }
        add("type", x.kind.rawValue, y.kind.rawValue)
        if x.digest != y.digest, x.kind != .directory || y.kind != .directory {
            if let cx = x.content, let cy = y.content {
                let (ax, ay) = Self.firstDifference(cx, cy)
                d.append(FieldDifference(field: "content", a: ax, b: ay))
            } else {
                d.append(FieldDifference(field: "content", a: x.digest?.description ?? "-", b: y.digest?.description ?? "-"))
            }
        }
        add("size", String(x.size), String(y.size))
        add("mode", Self.octal(x.mode), Self.octal(y.mode))
        add("owner", "\(x.uid):\(x.gid)", "\(y.uid):\(y.gid)")
        add("owner names", "\(x.uname):\(x.gname)", "\(y.uname):\(y.gname)")
        if !ignoreTimestamps {
            add("mtime", Self.time(x), Self.time(y))
        }
        add("link target", x.linkTarget ?? "", y.linkTarget ?? "")
        add("device", x.device ?? "", y.device ?? "")
        if tarHeaders { add("tar header", x.header, y.header) }
        for name in Set(x.xattrs.keys).union(y.xattrs.keys).sorted() {
            add("xattr \(name)", x.xattrs[name] ?? "(none)", y.xattrs[name] ?? "(none)")
        }
        return d
    }

    static func octal(_ mode: UInt32) -> String {
        let s = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    static func time(_ r: FileRecord) -> String {
        guard r.mtimeNanoseconds != 0 else { return String(r.mtime) }
        let ns = String(r.mtimeNanoseconds)
        return "\(r.mtime)." + String(repeating: "0", count: max(0, 9 - ns.count)) + ns
    }

    /// Where two small contents first differ, each shown from a little before that point,
    /// quoted (text) or in hex (binary).
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> (String, String) {
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        let start = max(0, i - 16)
        func show(_ bytes: [UInt8]) -> String {
            let slice = Array(bytes[min(start, bytes.count)..<min(bytes.count, start + 48)])
            let text = slice.allSatisfy { $0 == 0x0A || $0 == 0x09 || (0x20..<0x7F).contains($0) }
            let body = text ? "\"" + String(decoding: slice, as: UTF8.self).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\"" : Hex.encode(slice)
            return "at byte \(i): " + (start > 0 ? "…" : "") + body + (start + 48 < bytes.count ? "…" : "")
        }
        return (show(a), show(b))
    }
}
