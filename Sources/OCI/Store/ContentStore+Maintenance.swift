#if canImport(Glibc)
import Glibc
#endif

/// What `mab store fsck` found.
public struct FsckReport: Sendable, Hashable {
    public var checked = 0
    public var corrupt: [Digest] = []
    public var missing: [(tag: String, digest: Digest)] = []
    public var bytes: Int64 = 0

    public var isClean: Bool { corrupt.isEmpty && missing.isEmpty }

    public static func == (a: FsckReport, b: FsckReport) -> Bool {
        a.checked == b.checked && a.corrupt == b.corrupt && a.bytes == b.bytes
            && a.missing.map(\.tag) == b.missing.map(\.tag) && a.missing.map(\.digest) == b.missing.map(\.digest)
    }

    public func hash(into h: inout Hasher) {
        h.combine(checked)
        h.combine(corrupt)
    }
}

/// What `mab store prune` removed.
public struct PruneReport: Sendable, Hashable {
    public var removed: [Digest] = []
    public var freedBytes: Int64 = 0
    public var kept = 0
    public var temporaryFilesRemoved = 0
    /// What `underLock` reported (unpacked root filesystems, cache mounts), as lines.
    public var also: [String] = []
}

extension ContentStore {
    /// Re-hashes every blob and checks that every tagged image is complete.
    public func fsck() throws -> FsckReport {
        var report = FsckReport()
        for digest in try allBlobs() {
            report.checked += 1
            report.bytes += size(of: digest) ?? 0
            do {
                try stream(digest) { _ in }
            } catch OCIError.digestMismatch {
                report.corrupt.append(digest)
            }
        }
        for (name, root) in try tagTable().tags.sorted(by: { $0.key < $1.key }) {
            let refs = (try? ImageGraph.reachable(from: root) { try read($0) }) ?? [root]
            for d in refs where !contains(d.digest) { report.missing.append((name, d.digest)) }
        }
        return report
    }

    /// Deletes blobs no tag references, and stale temp files. Layers only the build cache
    /// records go too: their steps run again (a record whose layer is gone is a miss).
    /// Holds the store's exclusive lock, so it never races a running build.
    public func prune(extraRoots: [Descriptor] = [], underLock: (() throws -> [String])? = nil) throws -> PruneReport {
        let lock = try self.lock(.exclusive, wait: false)
        defer { withExtendedLifetime(lock) {} }
        var keep = Set<Digest>()
        let roots = Array(try tagTable().tags.values) + extraRoots
        for root in roots {
            for d in try ImageGraph.reachable(from: root, read: { try read($0) }) { keep.insert(d.digest) }
        }
        var report = PruneReport()
        for digest in try allBlobs() {
            if keep.contains(digest) {
                report.kept += 1
                continue
            }
            report.freedBytes += size(of: digest) ?? 0
            if unlink(blobPath(digest)) != 0 { throw FileSystem.errnoError(blobPath(digest), "unlink") }
            report.removed.append(digest)
        }
        for name in try FileSystem.list("\(root)/tmp") {
            try FileSystem.removeTree("\(root)/tmp/\(name)")
            report.temporaryFilesRemoved += 1
        }
        // Caches outside the blobs (the executor's), cleaned while no build can run.
        report.also = try underLock?() ?? []
        return report
    }
}
