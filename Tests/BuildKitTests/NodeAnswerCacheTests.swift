import BuildKit
import Foundation
import OCI
import Testing

/// The nodes' answers kept between builds: given back while young, per connection, never
/// from a damaged file.
struct NodeAnswerCacheTests {
    @Test func answersAreKeptPerConnectionForAWhile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-answers-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = NodeAnswerCache(directory: dir + "/nodes", maxAge: 300)
        let amd = BuilderNode(name: "a", address: try BuilderAddress(parsing: "unix:///run/a.sock"), platforms: [])
        let arm = BuilderNode(name: "b", address: try BuilderAddress(parsing: "tcp://127.0.0.1:1234"), platforms: [.linuxARM64])
        #expect(cache.answers(for: [amd]) == nil)
        let answer = NodeCapabilities(node: amd, reported: [.linuxAMD64, .linuxARM64], version: "v0.26.3")
        cache.record([answer])
        #expect(cache.answers(for: [amd]) == [answer])
        // Every node must have an answer, and a connection's answer is its own.
        #expect(cache.answers(for: [amd, arm]) == nil)
        var renamed = amd
        renamed.name = "other"
        #expect(cache.answer(for: renamed)?.reported == [.linuxAMD64, .linuxARM64], "the same connection under another name")
        var st = stat()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/nodes")
        #expect(files.count == 1 && stat(dir + "/nodes/" + files[0], &st) == 0 && st.st_mode & 0o777 == 0o600)
        // Too old, or from the future (a clock set back), or damaged: no answer.
        #expect(cache.answer(for: amd, now: Date().addingTimeInterval(301)) == nil)
        #expect(cache.answer(for: amd, now: Date().addingTimeInterval(-60)) == nil)
        try Data("{".utf8).write(to: URL(fileURLWithPath: dir + "/nodes/" + files[0]))
        #expect(cache.answer(for: amd) == nil)
    }
}
