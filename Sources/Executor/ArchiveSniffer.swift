import OCI

#if canImport(Glibc)
import Glibc
#endif

/// Recognises what ADD unpacks: a tar archive, plain or compressed (gzip, bzip2, xz,
/// zstd), by its content, never by its name.
enum ArchiveSniffer {
    static func isArchive(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, let fd = try? FileSystem.open(path, O_RDONLY) else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 262)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 262) }
        guard n > 0 else { return false }
        let b = Array(head.prefix(n))
        if b.starts(with: [0x1f, 0x8b]) || b.starts(with: [0x42, 0x5a, 0x68]) || b.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])
            || b.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) {
            // Compressed: an archive only if what it holds is a tar (BuildKit copies other data).
            return LayerExtractor.isTarArchive(at: path)
        }
        return b.count >= 262 && Array(b[257..<262]) == Array("ustar".utf8)
    }
}
