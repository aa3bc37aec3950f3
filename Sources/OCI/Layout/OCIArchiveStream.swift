import CArchive

/// Reads an OCI image layout as a tar stream (buildctl's `--output type=oci,dest=-`) into
/// the store as it arrives, without a temporary file: every `blobs/sha256/HEX` entry is
/// written through a BlobWriter that checks its digest (one the store has is skipped);
/// `index.json` is kept. Anything
/// else the layout may hold (`oci-layout`, `manifest.json`) is read past.
public struct OCIArchiveStream: Sendable {
    public let store: ContentStore

    public init(store: ContentStore) { self.store = store }

    /// Reads the stream at `path` (a file or `/dev/fd/N`), named `what` in errors; returns
    /// the layout's `index.json`.
    public func read(_ path: String, what: String) throws -> ImageIndex {
        guard let a = mab_archive_read_new() else { throw OCIError.archive(path: what, detail: ArchiveLibrary.unavailableReason) }
        defer { mab_archive_read_free(a) }
        mab_archive_read_support_filter_none(a)
        mab_archive_read_support_format_tar(a)
        guard mab_archive_read_open_filename(a, path, 1 << 20) == ARCHIVE_OK else {
            throw OCIError.archive(path: what, detail: LayerExtractor.message(a))
        }
        var index: ImageIndex?
        var entry: OpaquePointer?
        while true {
            let r = mab_archive_read_next_header(a, &entry)
            if r == ARCHIVE_EOF { break }
            guard r == ARCHIVE_OK || r == ARCHIVE_WARN, let entry else { throw OCIError.archive(path: what, detail: LayerExtractor.message(a)) }
            var name = mab_archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            if name.hasPrefix("./") { name.removeFirst(2) }
            if name == "index.json" {
                var bytes: [UInt8] = []
                try each(a, what: what) { bytes.append(contentsOf: $0) }
                index = try ImageGraph.decode(ImageIndex.self, bytes, what: "\(what): index.json")
            } else if name.hasPrefix("blobs/sha256/"), !name.hasSuffix("/") {
                let digest = try Digest(parsing: "sha256:" + name.dropFirst("blobs/sha256/".count))
                // A blob the store holds (checked when it was written) is read past: a rebuild
                // from cache writes and syncs nothing again.
                if store.contains(digest) {
                    try each(a, what: what) { _ in }
                    continue
                }
                let writer = try store.writer()
                try each(a, what: what) { try writer.write($0) }
                _ = try writer.commit(expectedDigest: digest, what: "\(what): blob \(digest)")
            } else {
                try each(a, what: what) { _ in }
            }
        }
        guard let index else { throw OCIError.archive(path: what, detail: "no index.json in the OCI layout") }
        for m in index.manifests where !store.contains(m.digest) { throw OCIError.blobNotFound(m.digest, where: what) }
        return index
    }

    private func each(_ a: OpaquePointer, what: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let r = mab_archive_read_data_block(a, &buffer, &size, &offset)
            if r == ARCHIVE_EOF { return }
            guard r == ARCHIVE_OK || r == ARCHIVE_WARN else { throw OCIError.archive(path: what, detail: LayerExtractor.message(a)) }
            if let buffer, size > 0 { try body(UnsafeRawBufferPointer(start: buffer, count: size)) }
        }
    }
}
