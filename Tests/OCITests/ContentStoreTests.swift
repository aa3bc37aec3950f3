import Foundation
import Testing

@testable import OCI

@Suite struct ContentStoreTests {
    func makeStore() throws -> ContentStore {
        try ContentStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("mab-store-\(UUID().uuidString)").path)
    }

    @Test func putReadAndVerify() throws {
        let store = try makeStore()
        defer { try? FileManager.default.removeItem(atPath: store.root) }
        let d = try store.put(Array("hello".utf8))
        #expect(d.description == "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(try store.read(d) == Array("hello".utf8))
        try "jello".write(toFile: store.blobPath(d), atomically: false, encoding: .utf8)
        #expect(throws: OCIError.digestMismatch(expected: d, actual: Digest.of(Array("jello".utf8)), what: store.blobPath(d))) {
            try store.read(d)
        }
    }

    @Test func wrongDigestIsRefusedAndLeavesNothing() throws {
        let store = try makeStore()
        defer { try? FileManager.default.removeItem(atPath: store.root) }
        let expected = Digest.of(Array("expected".utf8))
        #expect(throws: OCIError.digestMismatch(expected: expected, actual: Digest.of(Array("actual".utf8)), what: "blob")) {
            try store.put(Array("actual".utf8), expected: expected)
        }
        #expect(try store.allBlobs().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root + "/tmp").isEmpty)
        // An abandoned writer (a killed step) leaves nothing either.
        do {
            let w = try store.writer()
            try w.write(Array("partial".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root + "/tmp").isEmpty)
        #expect(try store.allBlobs().isEmpty)
    }

    @Test func tagsAndExclusivePruneLock() throws {
        let store = try makeStore()
        defer { try? FileManager.default.removeItem(atPath: store.root) }
        let d = try store.put(Array("{}".utf8))
        #expect(throws: OCIError.blobNotFound(Digest.of(Array("x".utf8)), where: store.description)) {
            try store.setTag("a", to: Descriptor(mediaType: MediaType.ociManifest, digest: Digest.of(Array("x".utf8)), size: 1))
        }
        try store.setTag("a", to: Descriptor(mediaType: "application/octet-stream", digest: d, size: 2))
        #expect(try store.resolveTag("a").digest == d)
        let shared = try store.lock(.shared)
        #expect(throws: OCIError.storeLocked(store.root + "/lock")) { try store.prune() }
        withExtendedLifetime(shared) {}
    }
}
