import Foundation
import Testing

@testable import Executor
@testable import OCI

/// COPY placement against Docker's documented rules.
@Suite struct CopyStepTests {
    struct Context {
        let root: String
        let out: String
        init() throws {
            let base = FileManager.default.temporaryDirectory.appendingPathComponent("mab-copy-\(UUID().uuidString)").path
            root = base + "/ctx"
            out = base + "/layer"
            let fm = FileManager.default
            try fm.createDirectory(atPath: root + "/dir/sub", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
            try "a".write(toFile: root + "/a.txt", atomically: true, encoding: .utf8)
            try "b".write(toFile: root + "/b.txt", atomically: true, encoding: .utf8)
            try "x".write(toFile: root + "/dir/x", atomically: true, encoding: .utf8)
            try "y".write(toFile: root + "/dir/sub/y", atomically: true, encoding: .utf8)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/dir/x")
        }
        func remove() { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        func files() -> [String] { ((FileManager.default.subpaths(atPath: out)) ?? []).sorted() }
    }

    @Test func fileIntoDirectoryOrAsNamedFile() throws {
        let c = try Context()
        defer { c.remove() }
        try CopyStep(sources: [.init(root: c.root, path: "a.txt")], destination: "/app/").materialize(into: c.out)
        try CopyStep(sources: [.init(root: c.root, path: "b.txt")], destination: "/app/renamed").materialize(into: c.out)
        #expect(c.files() == ["app", "app/a.txt", "app/renamed"])
        #expect(try String(contentsOfFile: c.out + "/app/renamed", encoding: .utf8) == "b")
    }

    @Test func directoryContentsNotTheDirectory() throws {
        let c = try Context()
        defer { c.remove() }
        try CopyStep(sources: [.init(root: c.root, path: "dir")], destination: "/opt/tool").materialize(into: c.out)
        #expect(c.files() == ["opt", "opt/tool", "opt/tool/sub", "opt/tool/sub/y", "opt/tool/x"])
        let attrs = try FileManager.default.attributesOfItem(atPath: c.out + "/opt/tool/x")
        #expect(attrs[.posixPermissions] as? Int == 0o755)
        #expect(attrs[.ownerAccountID] as? Int == 0)
        let parent = try FileManager.default.attributesOfItem(atPath: c.out + "/opt")
        #expect((parent[.modificationDate] as? Date)?.timeIntervalSince1970 == 0)
    }

    @Test func severalSourcesGoOneAfterTheOtherAndWorkdirAppliesToRelativeDestinations() throws {
        let c = try Context()
        defer { c.remove() }
        let two = [CopyStep.Source(root: c.root, path: "a.txt"), .init(root: c.root, path: "b.txt")]
        // As BuildKit: without a trailing slash, each file in turn becomes DEST; the last wins.
        try CopyStep(sources: two, destination: "dest").materialize(into: c.out)
        #expect(c.files() == ["dest"])
        #expect(try String(contentsOfFile: c.out + "/dest", encoding: .utf8) == (try String(contentsOfFile: c.root + "/b.txt", encoding: .utf8)))
        try FileManager.default.removeItem(atPath: c.out + "/dest")
        try CopyStep(sources: two, destination: "./", workingDirectory: "/srv/app").materialize(into: c.out)
        #expect(c.files() == ["srv", "srv/app", "srv/app/a.txt", "srv/app/b.txt"])
    }

    @Test func chownAndChmod() throws {
        let c = try Context()
        defer { c.remove() }
        try CopyStep(sources: [.init(root: c.root, path: "a.txt")], destination: "/etc/conf", owner: (1000, 1001), mode: .octal(0o600)).materialize(into: c.out)
        let attrs = try FileManager.default.attributesOfItem(atPath: c.out + "/etc/conf")
        #expect(attrs[.ownerAccountID] as? Int == 1000)
        #expect(attrs[.groupOwnerAccountID] as? Int == 1001)
        #expect(attrs[.posixPermissions] as? Int == 0o600)
    }
}
