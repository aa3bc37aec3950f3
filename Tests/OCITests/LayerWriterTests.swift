import Foundation
import Testing

@testable import OCI

@Suite struct LayerWriterTests {
    final class Collect: ByteSink {
        var bytes: [UInt8] = []
        func write(_ buffer: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: buffer) }
    }

    func bsdtar(_ args: [String], input: [UInt8]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/bsdtar")
        p.arguments = args
        let inPipe = Pipe(), outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        try p.run()
        let writer = Thread { inPipe.fileHandleForWriting.write(Data(input)); try? inPipe.fileHandleForWriting.close() }
        writer.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }

    @Test func listingIsDeterministicAndComplete() throws {
        let tree = try TestTree.sample()
        defer { tree.remove() }
        let sink = Collect()
        let result = try LayerWriter(compression: .none).write(.directory(tree.root), to: sink)
        let listing = try bsdtar(["-tvf", "-"], input: sink.bytes)
        print(listing)
        print(result)
    }
}
