import CArchive
import OCI

/// Reads a layer blob (tar, tar+gzip, tar+zstd) as entries in tar order, every regular
/// file's content hashed as it streams past (nothing is written to disk).
public struct LayerReader: Sendable {
    public init() {}

    /// The entries of the layer at `path`, named `what` in errors.
    public func entries(at path: String, what: String) throws -> [LayerEntry] {
        guard let a = mab_archive_read_new() else { throw DiffError.unreadableLayer(what, detail: ArchiveLibrary.unavailableReason) }
        defer { mab_archive_read_free(a) }
        mab_archive_read_support_filter_gzip(a)
        mab_archive_read_support_filter_zstd(a)
        mab_archive_read_support_filter_none(a)
        mab_archive_read_support_format_tar(a)
        mab_archive_read_support_format_empty(a)
        guard mab_archive_read_open_filename(a, path, 1 << 20) == ARCHIVE_OK else { throw DiffError.unreadableLayer(what, detail: LayerExtractor.message(a)) }
        var out: [LayerEntry] = []
        var entry: OpaquePointer?
        let hasher = SHA256Hasher()
        while true {
            let r = mab_archive_read_next_header(a, &entry)
            if r == ARCHIVE_EOF { break }
            guard r == ARCHIVE_OK || r == ARCHIVE_WARN, let entry else { throw DiffError.unreadableLayer(what, detail: LayerExtractor.message(a)) }
            let raw = mab_archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            let path = try Self.clean(raw, layer: what)
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            let parent = FileSystem.parent(path)
            if name == ".wh..wh..opq" {
                out.append(.opaque(directory: parent))
                continue
            }
            if name.hasPrefix(".wh.") {
                out.append(.whiteout(path: (parent == "/" ? "" : parent) + "/" + name.dropFirst(4)))
                continue
            }
            let mode = UInt32(mab_archive_entry_mode(entry))
            var record = FileRecord(
                path: path, kind: Self.kind(mode), mode: mode & 0o7777, uid: mab_archive_entry_uid(entry), gid: mab_archive_entry_gid(entry),
                uname: mab_archive_entry_uname(entry).map { String(cString: $0) } ?? "",
                gname: mab_archive_entry_gname(entry).map { String(cString: $0) } ?? "",
                size: mab_archive_entry_size(entry), mtime: Int64(mab_archive_entry_mtime(entry)), mtimeNanoseconds: Int(mab_archive_entry_mtime_nsec(entry)))
            record.header = Self.header(a, entry)
            if let link = mab_archive_entry_hardlink(entry) {
                record.kind = .hardlink
                record.linkTarget = try Self.clean(String(cString: link), layer: what)
            } else if record.kind == .symlink {
                record.linkTarget = mab_archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
            } else if record.kind == .characterDevice || record.kind == .blockDevice {
                let dev = UInt64(mab_archive_entry_rdev(entry))
                record.device = "\((dev >> 8) & 0xfff | (dev >> 32) & ~0xfff),\(dev & 0xff | (dev >> 12) & ~0xff)"
            }
            mab_archive_entry_xattr_reset(entry)
            var xname: UnsafePointer<CChar>?
            var xvalue: UnsafeRawPointer?
            var xsize = 0
            while mab_archive_entry_xattr_next(entry, &xname, &xvalue, &xsize) == ARCHIVE_OK, let xname {
                let bytes = xvalue.map { Array(UnsafeRawBufferPointer(start: $0, count: xsize)) } ?? []
                record.xattrs[String(cString: xname)] = bytes.count <= 64 ? Hex.encode(bytes) : Digest.of(bytes).description
            }
            if record.kind == .file {
                var kept: [UInt8] = []
                let keep = record.size <= FileRecord.keptBytes
                var buffer: UnsafeRawPointer?
                var size = 0
                var offset: la_int64_t = 0
                while true {
                    let d = mab_archive_read_data_block(a, &buffer, &size, &offset)
                    if d == ARCHIVE_EOF { break }
                    guard d == ARCHIVE_OK || d == ARCHIVE_WARN else { throw DiffError.unreadableLayer(what, detail: "\(raw): " + LayerExtractor.message(a)) }
                    guard let buffer, size > 0 else { continue }
                    let chunk = UnsafeRawBufferPointer(start: buffer, count: size)
                    hasher.update(chunk)
                    if keep { kept.append(contentsOf: chunk) }
                }
                record.digest = hasher.finalize()
                if keep { record.content = kept }
            }
            out.append(.record(record))
        }
        return out
    }

    /// `./a/b/`, `a//b`, `/a/b` → `/a/b`; a name that climbs out of the root is refused.
    static func clean(_ name: String, layer: String) throws -> String {
        var parts: [Substring] = []
        for c in name.split(separator: "/") where c != "." {
            guard c != ".." else { throw DiffError.hostileName(name, layer: layer) }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The header's format as libarchive names it, shortened, and the extra times it holds.
    static func header(_ a: OpaquePointer, _ entry: OpaquePointer) -> String {
        let name = mab_archive_format_name(a).map { String(cString: $0) } ?? ""
        var parts = [name.contains("pax") ? "pax" : name.contains("ustar") ? "ustar" : name.contains("GNU") ? "gnu" : name]
        if mab_archive_entry_atime_is_set(entry) != 0 { parts.append("atime") }
        if mab_archive_entry_ctime_is_set(entry) != 0 { parts.append("ctime") }
        return parts.joined(separator: " ")
    }

    static func kind(_ mode: UInt32) -> FileRecord.Kind {
        switch mode & 0o170000 {
        case 0o040000: return .directory
        case 0o120000: return .symlink
        case 0o020000: return .characterDevice
        case 0o060000: return .blockDevice
        case 0o010000: return .fifo
        case 0o140000: return .socket
        default: return .file
        }
    }
}
