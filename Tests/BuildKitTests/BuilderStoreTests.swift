import BuildKit
import Foundation
import OCI
import Testing

/// Builders on disk, addresses and TLS files.
struct BuilderStoreTests {
    @Test func saveLoadUseRemove() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-builders-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = BuilderStore(environment: ["XDG_CONFIG_HOME": dir])
        #expect(store.directory == dir + "/mab/builders")
        let b = Builder(name: "ci", nodes: [BuilderNode(name: "ci0", address: try BuilderAddress(parsing: "tcp://127.0.0.1:9999"), platforms: [.linuxARM64])])
        try store.save(b)
        #expect(try store.load("ci") == b)
        var st = stat()
        #expect(stat(store.directory + "/ci.json", &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(store.current() == nil)
        try store.use("ci")
        #expect(store.current() == "ci")
        #expect(store.names() == ["ci"])
        try store.remove("ci")
        #expect(store.current() == nil && store.names().isEmpty)
        #expect(throws: BuilderError.noSuchBuilder("ci", known: [])) { try store.load("ci") }
    }

    @Test(arguments: [
        ("unix://run/x.sock", "builder address \"unix://run/x.sock\": a unix socket needs an absolute path (use unix:///PATH or tcp://HOST:PORT)"),
        ("tcp://127.0.0.1", "builder address \"tcp://127.0.0.1\": a tcp address needs HOST:PORT (use unix:///PATH or tcp://HOST:PORT)"),
        ("docker-container://bk", "builder address \"docker-container://bk\": unknown scheme (use unix:///PATH or tcp://HOST:PORT)"),
    ])
    func badAddresses(_ text: String, _ message: String) {
        #expect(throws: BuilderError.self) { try BuilderAddress(parsing: text) }
        do { _ = try BuilderAddress(parsing: text) } catch { #expect(error.description == message) }
    }

    @Test func tlsFilesAreCheckedBeforeAnythingStarts() throws {
        #expect(throws: BuilderError.tlsFile(flag: "--tlscert", path: "/nonexistent/client.pem", reason: "no such file")) {
            try TLSFiles(caCert: nil, cert: "/nonexistent/client.pem", key: "/etc/passwd").validate()
        }
        #expect(throws: BuilderError.tlsIncomplete("a client certificate needs its key: give both --tlscert and --tlskey")) {
            try TLSFiles(caCert: "/etc/passwd", cert: "/etc/passwd").validate()
        }
        #expect(throws: BuilderError.tlsFile(flag: "--tlscacert", path: "/etc", reason: "is a directory, not a PEM file")) {
            try TLSFiles(caCert: "/etc").validate()
        }
    }

    @Test(arguments: ["", "-x", "a b", "a/b", "ü"])
    func badNames(_ name: String) {
        #expect(throws: BuilderError.invalidName(name)) { try Builder.validate(name: name) }
    }
}
