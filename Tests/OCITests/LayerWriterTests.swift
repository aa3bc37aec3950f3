import CSystem
import Foundation
import Testing

@testable import OCI

@Suite struct LayerWriterTests {
    final class Collect: ByteSink {
        var bytes: [UInt8] = []
        func write(_ buffer: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: buffer) }
    }

    static func run(_ tool: String, _ args: [String], input: [UInt8]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let inPipe = Pipe(), outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = outPipe
        try p.run()
        let writer = Thread {
            inPipe.fileHandleForWriting.write(Data(input))
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    static let expectedListing = """
        drwxr-xr-x  0 0      0           0 Nov 14  2023 a/
        prw-r-----  0 0      0           0 Nov 14  2023 a/fifo
        -rw-r--r--  0 0      0           1 Nov 14  2023 a/z
        drwxr-xr-x  0 0      0           0 Nov 14  2023 a-b/
        -rw-r--r--  0 0      0           1 Nov 14  2023 a-b/x
        drwxr-xr-x  0 0      0           0 Nov 14  2023 bin/
        -rwxr-xr-x  0 0      0          20 Nov 14  2023 bin/tool
        drwx------  0 0      0           0 Nov 14  2023 empty/
        drwxr-xr-x  0 0      0           0 Nov 14  2023 etc/
        lrwxrwxrwx  0 0      0           0 Nov 14  2023 etc/alias -> config
        -rw-------  0 1000   1000       10 Nov 14  2023 etc/config
        hrw-------  0 1000   1000        0 Nov 14  2023 etc/config-link link to etc/config

        """

    @Test func tarListingMatchesBsdtarByteForByte() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let sink = Collect()
        _ = try LayerWriter(compression: .none).write(.directory(tree.root), to: sink)
        let (status, listing) = try Self.run("/usr/bin/bsdtar", ["-tvf", "-"], input: sink.bytes)
        #expect(status == 0)
        #expect(listing == Self.expectedListing)
    }

    @Test func goldenDigestsAndSameOutputForAnyThreadCount() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let plain = try LayerWriter(compression: .none).write(.directory(tree.root), to: Collect())
        #expect(plain.diffID.description == "sha256:a1d4effdc7bfa8c67f60d3804641592860572dc087316c61d23116d9e8c223f5")
        var gzipDigests = Set<Digest>()
        var zstdDigests = Set<Digest>()
        for workers in [1, 2, 4] {
            let g = try LayerWriter(compression: .gzip, workers: workers).write(.directory(tree.root), to: Collect())
            #expect(g.diffID == plain.diffID)
            gzipDigests.insert(g.digest)
            let z = try LayerWriter(compression: .zstd, workers: workers).write(.directory(tree.root), to: Collect())
            #expect(z.diffID == plain.diffID)
            zstdDigests.insert(z.digest)
        }
        #expect(gzipDigests.count == 1)
        #expect(zstdDigests.count == 1)
        #expect(zstdDigests.first?.description == "sha256:dde30e2f0662bd9eca2e5d2aef8a9ea6c8ce65c7dfd76890f6044b60dd18413b")
        #expect(gzipDigests.first?.description == "sha256:a2bd6e2e94163a76c5a2d933f87eb7dd118445ae272e6fa1add655cb14379fb1")
    }

    @Test func gzipHeaderHasNoNameNoTimeAndUnknownOS() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let sink = Collect()
        _ = try LayerWriter(compression: .gzip).write(.directory(tree.root), to: sink)
        #expect(Array(sink.bytes.prefix(10)) == [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        let (status, listing) = try Self.run("/usr/bin/bsdtar", ["-tvzf", "-"], input: sink.bytes)
        #expect(status == 0)
        #expect(listing == Self.expectedListing)
        let (gzStatus, _) = try Self.run("/bin/gzip", ["-t"], input: sink.bytes)
        #expect(gzStatus == 0)
    }

    @Test func zstdStreamIsReadable() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let sink = Collect()
        _ = try LayerWriter(compression: .zstd).write(.directory(tree.root), to: sink)
        #expect(Array(sink.bytes.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        let (status, listing) = try Self.run("/usr/bin/bsdtar", ["-tvf", "-"], input: sink.bytes)
        #expect(status == 0)
        #expect(listing == Self.expectedListing)
    }

    @Test func sourceDateEpochMakesTouchedTreesIdentical() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let writer = LayerWriter(compression: .gzip, sourceDateEpoch: 1_600_000_000)
        let first = try writer.write(.directory(tree.root), to: Collect())
        try tree.touchAll(1_800_000_000)
        let second = try writer.write(.directory(tree.root), to: Collect())
        #expect(first.digest == second.digest)
        #expect(first.diffID == second.diffID)
        #expect(first.newestModification == 1_600_000_000)
        let unclamped = try LayerWriter(compression: .gzip).write(.directory(tree.root), to: Collect())
        #expect(unclamped.diffID != first.diffID)
    }

    @Test func extractThenRewriteGivesTheSameLayer() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let store = try ContentStore(root: tree.root + "-store")
        defer { try? FileManager.default.removeItem(atPath: store.root) }
        let layer = try LayerWriter(compression: .gzip).write(.directory(tree.root), into: store)
        let copy = try TestTree()
        defer { copy.remove() }
        _ = try LayerExtractor().apply(layerAt: store.blobPath(layer.digest), onto: copy.root)
        let again = try LayerWriter(compression: .gzip).write(.directory(copy.root), to: Collect())
        #expect(again.diffID == layer.diffID)
        #expect(again.digest == layer.digest)
    }

    @Test func changeSetsAndOverlayUpperDirectoriesBecomeWhiteouts() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let sink = Collect()
        _ = try LayerWriter(compression: .none).write(
            .changes(root: tree.root, changes: [.modified("etc/config"), .deleted("bin/tool"), .deleted("gone"), .opaque("a")]),
            to: sink)
        let (_, listing) = try Self.run("/usr/bin/bsdtar", ["-tf", "-"], input: sink.bytes)
        #expect(listing == ".wh.gone\na/\na/.wh..wh..opq\nbin/\nbin/.wh.tool\netc/\netc/config\n")

        let upper = try TestTree()
        defer { upper.remove() }
        upper.dir("d")
        upper.file("d/new", "n")
        mknod(upper.path("d/removed"), S_IFCHR | 0o000, 0)
        upper.dir("o")
        setxattr(upper.path("o"), "trusted.overlay.opaque", "y", 1, 0)
        let upperSink = Collect()
        _ = try LayerWriter(compression: .none).write(.overlayUpper(upper.root), to: upperSink)
        let (_, upperListing) = try Self.run("/usr/bin/bsdtar", ["-tf", "-"], input: upperSink.bytes)
        #expect(upperListing == "d/\nd/.wh.removed\nd/new\no/\no/.wh..wh..opq\n")
    }

    /// With the stack below the upper known, an opaque directory becomes what BuildKit's
    /// differ writes: a whiteout for each name the lowers show there and the upper lacks —
    /// deletions and opaque directories in the lowers counted — and none for a new directory.
    @Test func opaqueDirectoriesBecomeWhiteoutsOfWhatTheyHide() throws {
        let bottom = try TestTree(), middle = try TestTree(), upper = try TestTree()
        defer { bottom.remove(); middle.remove(); upper.remove() }
        bottom.dir("o")
        for name in ["a", "b", "kept"] { bottom.file("o/" + name, name) }
        bottom.dir("p")
        bottom.file("p/old", "old")
        middle.dir("o")
        middle.file("o/c", "c")
        mknod(middle.path("o/b"), S_IFCHR | 0o000, 0)  // b was deleted by an earlier step
        middle.dir("p")
        setxattr(middle.path("p"), "trusted.overlay.opaque", "y", 1, 0)  // and p emptied
        middle.file("p/mid", "m")
        for dir in ["o", "p", "fresh"] {
            upper.dir(dir)
            setxattr(upper.path(dir), "trusted.overlay.opaque", "y", 1, 0)
        }
        upper.file("o/kept", "again")
        upper.file("fresh/f", "f")
        let sink = Collect()
        _ = try LayerWriter(compression: .none).write(.overlayUpper(upper.root, lowers: [bottom.root, middle.root]), to: sink)
        let (_, listing) = try Self.run("/usr/bin/bsdtar", ["-tf", "-"], input: sink.bytes)
        #expect(listing == "fresh/\nfresh/f\no/\no/.wh.a\no/.wh.c\no/kept\np/\np/.wh.mid\n")
    }
}
