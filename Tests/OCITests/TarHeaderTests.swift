import Foundation
import Testing

@testable import OCI

/// Layers are written as Go's archive/tar writes them for BuildKit: for the same tree the
/// uncompressed layer is BuildKit's, byte for byte, and GNU tar reads it without a word.
@Suite struct TarHeaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func sameTreeSameBytesAsBuildKit() throws {
        let recorded = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/buildkit-v0.26.3-layer.tar"))
        let tree = try TestTree()
        defer { tree.remove() }
        // bsdtar restores names, modes, owners, times, links and the FIFO as BuildKit wrote them.
        let unpack = Process()
        unpack.executableURL = URL(fileURLWithPath: "/usr/bin/bsdtar")
        unpack.arguments = ["-xpf", Self.fixtures + "/buildkit-v0.26.3-layer.tar", "--numeric-owner", "-C", tree.root]
        try unpack.run()
        unpack.waitUntilExit()
        #expect(unpack.terminationStatus == 0)
        let sink = LayerWriterTests.Collect()
        _ = try LayerWriter(compression: .none).write(.directory(tree.root), to: sink)
        #expect(sink.bytes.count == recorded.count)
        #expect(Data(sink.bytes) == recorded, "the layer differs from BuildKit's")
        // GNU tar lists it with nothing on stderr (no unknown PAX keywords).
        let (status, listing, errors) = try Self.gnuTar(sink.bytes)
        #expect(status == 0 && errors.isEmpty, "\(errors)")
        #expect(listing.contains("t/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/cccc"))
    }

    static func gnuTar(_ bytes: [UInt8]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        p.arguments = ["-tvf", "-"]
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// The PAX path: Go's record length counts itself, the header name is Go's
    /// path.Join(dir, "PaxHeaders.0", file) in ASCII, and names split for USTAR only at a slash.
    @Test func goRules() {
        #expect(TarHeader.record("uid", Array("3000000".utf8)) == Array("15 uid=3000000\n".utf8))
        // 98 bytes and a 2-digit length would be 100, which takes 3 digits: 101.
        let boundary = TarHeader.record("path", Array(String(repeating: "a", count: 91).utf8))
        #expect(boundary.count == 101 && boundary.prefix(4) == Array("101 ".utf8)[...])
        #expect(TarHeader.paxHeaderName(Array("t/sub/".utf8)) == Array("t/sub/PaxHeaders.0".utf8))
        #expect(TarHeader.paxHeaderName(Array("x".utf8)) == Array("PaxHeaders.0/x".utf8))
        #expect(TarHeader.splitUSTARPath(Array(String(repeating: "a", count: 101).utf8)) == nil)
        let long = Array((String(repeating: "p", count: 60) + "/" + String(repeating: "n", count: 60)).utf8)
        #expect(TarHeader.splitUSTARPath(long).map { ($0.0.count, $0.1.count) }! == (60, 60))
    }
}
