import CArchive

/// libarchive is loaded on first use (see Sources/CArchive/shim.h).
public enum ArchiveLibrary {
    public static var unavailableReason: String {
        mab_archive_available() == 0
            ? "libarchive could not be loaded (libarchive.so.13): install it with 'apt-get install libarchive13'"
            : "libarchive: out of memory"
    }
}
