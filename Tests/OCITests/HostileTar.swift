import CArchive
import Foundation

@testable import OCI

/// Writes hand-made tar files (including hostile ones) with libarchive for extractor tests.
enum HostileTar {
    enum Item {
        case file(String, String)
        case dir(String)
        case symlink(String, String)
        case hardlink(String, String)
    }

    static func write(_ items: [Item], to path: String) throws {
        let a = mab_archive_write_new()!
        defer { mab_archive_write_free(a) }
        mab_archive_write_set_format_pax_restricted(a)
        mab_archive_write_add_filter_none(a)
        guard mab_archive_write_open_filename(a, path) == ARCHIVE_OK else { throw OCIError.unsupported("open \(path)") }
        for item in items {
            let e = mab_archive_entry_new()!
            defer { mab_archive_entry_free(e) }
            mab_archive_entry_set_mtime(e, 1_700_000_000, 0)
            switch item {
            case .file(let name, let data):
                mab_archive_entry_copy_pathname(e, name)
                mab_archive_entry_set_mode(e, S_IFREG | 0o644)
                mab_archive_entry_set_size(e, Int64(data.utf8.count))
                mab_archive_write_header(a, e)
                let bytes = Array(data.utf8)
                if !bytes.isEmpty { _ = bytes.withUnsafeBytes { mab_archive_write_data(a, $0.baseAddress, bytes.count) } }
            case .dir(let name):
                mab_archive_entry_copy_pathname(e, name)
                mab_archive_entry_set_mode(e, S_IFDIR | 0o755)
                mab_archive_write_header(a, e)
            case .symlink(let name, let target):
                mab_archive_entry_copy_pathname(e, name)
                mab_archive_entry_set_mode(e, S_IFLNK | 0o777)
                mab_archive_entry_copy_symlink(e, target)
                mab_archive_write_header(a, e)
            case .hardlink(let name, let target):
                mab_archive_entry_copy_pathname(e, name)
                mab_archive_entry_set_mode(e, S_IFREG | 0o644)
                mab_archive_entry_copy_hardlink(e, target)
                mab_archive_entry_set_size(e, 0)
                mab_archive_write_header(a, e)
            }
        }
        mab_archive_write_close(a)
    }
}
