import Foundation
import OCI
import Plan
import Recipe

#if canImport(Glibc)
import Glibc
#endif

/// What the native executor refuses rather than build differently.
extension ImageBuilder {
    /// COPY/ADD features the native executor does not have yet: a clear error naming the
    /// line, never a silently different layer.
    func refuseUnsupported(_ copy: CopyAction, step: PlanStep) throws {
        let keyword = copy.isAdd ? "ADD" : "COPY"
        func refuse(_ what: String) throws -> Never {
            throw ExecutorError.sandbox("line \(step.line): \(keyword) \(what) is not supported by the native executor yet")
        }
        if !copy.inline.isEmpty { try refuse("with a heredoc source") }
        if !copy.exclude.isEmpty { try refuse("--exclude") }
        if copy.parents { try refuse("--parents") }
        for src in copy.sources where src.contains(where: { "*?[".contains($0) }) { try refuse("\(src): a wildcard") }
        guard copy.isAdd else { return }
        if copy.checksum != nil { try refuse("--checksum") }
        for src in copy.sources where src.contains("://") || src.hasPrefix("git@") { try refuse("of a URL (\(src))") }
        // ADD unpacks local tar archives (plain or compressed); until it does, refuse them.
        if copy.unpack != false, let root = copyRoot(copy.from) {
            for src in copy.sources where Self.looksLikeArchive(root + "/" + PathClean.relative(src)) {
                try refuse("of an archive or compressed file (\(src))")
            }
        }
    }

    func copyRoot(_ source: CopyAction.Source) -> String? {
        switch source {
        case .context: return contextDirectory
        case .namedContext(_, let directory): return directory
        case .stage, .image: return nil
        }
    }

    /// tar (ustar magic at 257), gzip, bzip2, xz or zstd by their first bytes.
    static func looksLikeArchive(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, let fd = try? FileSystem.open(path, O_RDONLY) else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 262)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 262) }
        guard n > 0 else { return false }
        let b = Array(head.prefix(n))
        if b.starts(with: [0x1f, 0x8b]) || b.starts(with: [0x42, 0x5a, 0x68]) || b.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])
            || b.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) {
            return true
        }
        return b.count >= 262 && Array(b[257..<262]) == Array("ustar".utf8)
    }
}
