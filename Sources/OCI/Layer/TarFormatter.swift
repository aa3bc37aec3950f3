import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// libarchive writing a tar stream (PAX where needed, ustar otherwise; xattrs as
/// SCHILY.xattr; names as raw bytes; no block padding) into a `ByteSink`.
final class TarFormatter {
    private var archive: OpaquePointer?
    private let box: SinkBox
    private let what: String

    final class SinkBox {
        let sink: any ByteSink
        var error: (any Error)?
        init(_ sink: any ByteSink) { self.sink = sink }
    }

    init(sink: any ByteSink, what: String) throws {
        self.what = what
        box = SinkBox(sink)
        guard let a = mab_archive_write_new() else { throw OCIError.archive(path: what, detail: ArchiveLibrary.unavailableReason) }
        archive = a
        try check(mab_archive_write_set_format_pax_restricted(a), "set format")
        try check(mab_archive_write_add_filter_none(a), "set filter")
        try check(mab_archive_write_set_bytes_per_block(a, 0), "set block size")
        try check(mab_archive_write_set_options(a, "hdrcharset=BINARY,xattrheader=SCHILY"), "set options")
        let context = Unmanaged.passUnretained(box).toOpaque()
        let rc = mab_archive_write_open2(a, context, nil, { _, ctx, buffer, length in
            let box = Unmanaged<SinkBox>.fromOpaque(ctx!).takeUnretainedValue()
            do {
                try box.sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            } catch {
                box.error = error
                return -1
            }
        }, nil, nil)
        try check(rc, "open")
    }

    deinit {
        if let archive { mab_archive_write_free(archive) }
    }

    private func check(_ rc: Int32, _ operation: String) throws {
        if rc == ARCHIVE_OK || rc == ARCHIVE_WARN { return }
        if let e = box.error { throw e }
        let message = archive.flatMap { mab_archive_error_string($0) }.map { String(cString: $0) } ?? "error \(rc)"
        throw OCIError.archive(path: what, detail: "tar \(operation): \(message)")
    }

    /// Writes one header; `entry` is freed by the caller.
    func writeHeader(_ entry: OpaquePointer) throws {
        try check(mab_archive_write_header(archive, entry), "write header for \(String(cString: mab_archive_entry_pathname(entry)))")
    }

    func writeData(_ buffer: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < buffer.count {
            let n = mab_archive_write_data(archive, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                try check(Int32(n), "write data")
                return
            }
            offset += n
        }
    }

    func finish() throws {
        try check(mab_archive_write_close(archive), "close")
        mab_archive_write_free(archive)
        archive = nil
    }
}
