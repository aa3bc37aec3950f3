import Foundation
import Testing

@testable import OCI

/// Hostile layers must not touch anything outside the root; normal layers round-trip.
@Suite struct LayerExtractorTests {
    /// A sandbox: `base/root` is extracted into, `base/outside` must stay untouched.
    struct Sandbox {
        let base: String
        var root: String { base + "/root" }
        var outside: String { base + "/outside" }
        var layer: String { base + "/layer.tar" }

        init() throws {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("mab-x-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: base + "/root", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
            try "sentinel".write(toFile: base + "/outside/sentinel", atomically: true, encoding: .utf8)
        }

        func outsideUntouched() -> Bool {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: outside)) ?? []
            let content = try? String(contentsOfFile: outside + "/sentinel", encoding: .utf8)
            return names == ["sentinel"] && content == "sentinel"
        }

        func remove() { try? FileManager.default.removeItem(atPath: base) }
    }

    struct HostileCase: CustomTestStringConvertible, Sendable {
        var name: String
        var expectedError: String?
        var testDescription: String { name }
    }

    static func items(_ name: String, outside: String) -> [HostileTar.Item] {
        switch name {
        case "dotdot": return [.file("../outside/pwned", "x")]
        case "dotdot-nested": return [.dir("a"), .file("a/../../outside/pwned", "x")]
        case "absolute": return [.file(outside + "/pwned", "x")]
        case "symlink-out-then-write": return [.symlink("link", outside), .file("link/pwned", "x")]
        case "symlink-relative-out": return [.symlink("up", "../../../../../../.." + outside), .file("up/pwned", "x")]
        case "symlink-parent-chain": return [.symlink("a", ".."), .file("a/a/a/outside/pwned", "x")]
        case "hardlink-out": return [.hardlink("stolen", "../outside/sentinel")]
        case "hardlink-absolute": return [.hardlink("stolen", outside + "/sentinel")]
        case "hardlink-through-symlink": return [.symlink("l", outside), .hardlink("stolen", "l/sentinel")]
        case "symlink-overwrite": return [.symlink("victim", outside + "/sentinel"), .file("victim", "overwritten")]
        case "whiteout-out": return [.file("../outside/.wh.sentinel", "")]
        case "whiteout-through-symlink": return [.symlink("l", outside), .file("l/.wh.sentinel", "")]
        default: return []
        }
    }

    static let hostile: [HostileCase] = [
        HostileCase(name: "dotdot", expectedError: "layer entry \"../outside/pwned\" refused: path climbs out of the root with \"..\""),
        HostileCase(name: "dotdot-nested", expectedError: "layer entry \"a/../../outside/pwned\" refused: path climbs out of the root with \"..\""),
        HostileCase(name: "absolute", expectedError: nil),
        HostileCase(name: "symlink-out-then-write", expectedError: nil),
        HostileCase(name: "symlink-relative-out", expectedError: nil),
        HostileCase(name: "symlink-parent-chain", expectedError: nil),
        HostileCase(name: "hardlink-out", expectedError: "layer entry \"stolen\" refused: hardlink target \"../outside/sentinel\" climbs out of the root with \"..\""),
        HostileCase(name: "hardlink-absolute", expectedError: "layer entry \"stolen\" refused: hardlink target \"OUTSIDE/sentinel\" is absolute"),
        HostileCase(name: "hardlink-through-symlink", expectedError: nil),
        HostileCase(name: "symlink-overwrite", expectedError: nil),
        HostileCase(name: "whiteout-out", expectedError: "layer entry \"../outside/.wh.sentinel\" refused: path climbs out of the root with \"..\""),
        HostileCase(name: "whiteout-through-symlink", expectedError: nil),
    ]

    @Test(arguments: hostile)
    func hostileLayerStaysInsideRoot(_ c: HostileCase) throws {
        let box = try Sandbox()
        defer { box.remove() }
        try HostileTar.write(Self.items(c.name, outside: box.outside), to: box.layer)
        var message: String?
        do {
            _ = try LayerExtractor().apply(layerAt: box.layer, onto: box.root)
        } catch let error as OCIError {
            message = error.description
        }
        #expect(box.outsideUntouched(), "\(c.name) touched the outside directory")
        if let expected = c.expectedError?.replacingOccurrences(of: "OUTSIDE", with: box.outside) {
            #expect(message == expected)
        } else if message == nil {
            // Accepted: whatever was created must be inside the root.
            let names = try FileManager.default.subpathsOfDirectory(atPath: box.root)
            #expect(!names.isEmpty || c.name.hasPrefix("whiteout"))
        } else {
            // Refused is also safe; it must name the entry.
            #expect(message!.contains("layer entry") || message!.contains("refused") || message!.contains("does not exist"))
        }
    }

    @Test func absoluteNamesAreRefusedNamingTheEntry() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try HostileTar.write([.file("/etc/pwned", "x")], to: box.layer)
        #expect(throws: OCIError.unsafeEntry(entry: "/etc/pwned", reason: "absolute path")) {
            _ = try LayerExtractor().apply(layerAt: box.layer, onto: box.root)
        }
    }

    @Test func symlinkedParentResolvesInsideRoot() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try HostileTar.write([.symlink("link", box.outside), .file("link/pwned", "inside")], to: box.layer)
        _ = try LayerExtractor().apply(layerAt: box.layer, onto: box.root)
        #expect(box.outsideUntouched())
        #expect(try String(contentsOfFile: box.root + box.outside + "/pwned", encoding: .utf8) == "inside")
    }

    @Test func whiteoutsAndOpaqueDirectories() throws {
        let box = try Sandbox()
        defer { box.remove() }
        try HostileTar.write([
            .dir("keep"), .file("keep/a", "a"), .dir("gone"), .file("gone/x", "x"), .dir("opq"), .file("opq/old", "o"),
        ], to: box.layer)
        _ = try LayerExtractor().apply(layerAt: box.layer, onto: box.root)
        let upper = box.base + "/upper.tar"
        try HostileTar.write([.file(".wh.gone", ""), .dir("opq"), .file("opq/.wh..wh..opq", ""), .file("opq/new", "n")], to: upper)
        let stats = try LayerExtractor().apply(layerAt: upper, onto: box.root)
        #expect(stats.whiteouts == 2)
        let all = try FileManager.default.subpathsOfDirectory(atPath: box.root).sorted()
        #expect(all == ["keep", "keep/a", "opq", "opq/new"])
    }

    @Test func corruptAndTruncatedLayersAreClearErrors() throws {
        let box = try Sandbox()
        defer { box.remove() }
        // gzip magic followed by garbage
        try Data([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3, 4, 5, 6, 7, 8]).write(to: URL(fileURLWithPath: box.layer))
        do {
            _ = try LayerExtractor().apply(layerAt: box.layer, onto: box.root)
            Issue.record("corrupt gzip accepted")
        } catch let error as OCIError {
            guard case .corruptLayer(let what, _) = error else { Issue.record("\(error)"); return }
            #expect(what == box.layer)
        }
        // A tar cut in the middle of a file's data.
        try HostileTar.write([.file("big", String(repeating: "x", count: 5000))], to: box.layer)
        let data = try Data(contentsOf: URL(fileURLWithPath: box.layer))
        try data.prefix(2000).write(to: URL(fileURLWithPath: box.layer))
        #expect(throws: OCIError.self) { _ = try LayerExtractor().apply(layerAt: box.layer, onto: box.root) }
    }
}
