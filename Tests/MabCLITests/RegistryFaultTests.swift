import Foundation
import Testing

/// Registries that fail: mab retries and succeeds, or fails clearly and leaves the store
/// consistent. Faults come from a loopback proxy in front of a real registry.
@Suite(.serialized) struct RegistryFaultTests {
    static let fast = ["MAB_REGISTRY_BACKOFF": "0.01"]

    func image(_ ws: ImportInspectTests.Workspace) throws -> String {
        let r = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("a", marker: "amd64"))", "linux/arm64=\(try ws.rootfs("b", marker: "arm64"))", "-t", "local/img:1"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["status500", "status429", "cut"])
    func transientFaultsAreRetried(_ mode: String) throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let proxy = try TestFaultProxy(upstream: registry, mode: mode, count: 3)
        defer { proxy.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let digest = try image(ws)
        let push = try ws.mab(["push", "local/img:1", "\(proxy.host)/faulty/img:1"], environment: Self.fast)
        #expect(push.status == 0, "\(mode): \(push.stderr)")
        #expect(push.stdout == digest + "\n")
        let pull = try ws.mab(["pull", "\(proxy.host)/faulty/img:1", "--home", ws.path("h2")], environment: Self.fast)
        #expect(pull.status == 0, "\(mode): \(pull.stderr)")
        #expect(try ws.mab(["store", "fsck", "--home", ws.path("h2")]).status == 0)
    }

    @Test func registryThatStopsMidUploadFailsClearly() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let proxy = try TestFaultProxy(upstream: registry, mode: "dieafter", count: 3)
        defer { proxy.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        _ = try image(ws)
        let push = try ws.mab(["push", "local/img:1", "\(proxy.host)/dying/img:1"], environment: Self.fast)
        #expect(push.status == 1)
        #expect(push.stderr.contains("mab: error: "))
        #expect(push.stderr.contains("\(proxy.host)/dying/img"))
        #expect(push.stderr.contains("(after 5 attempts)"))
        // The local store is untouched and consistent.
        #expect(try ws.mab(["store", "fsck"]).status == 0)
    }

    @Test func failedPullLeavesNothingHalfWritten() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        _ = try image(ws)
        #expect(try ws.mab(["push", "local/img:1", "\(registry.host)/ok/img:1"]).status == 0)
        // Manifests come through, then every blob request is cut.
        let proxy = try TestFaultProxy(upstream: registry, mode: "dieafter", count: 3)
        defer { proxy.stop() }
        let home = ws.path("h3")
        let pull = try ws.mab(["pull", "\(proxy.host)/ok/img:1", "--home", home], environment: Self.fast)
        #expect(pull.status == 1)
        #expect(pull.stderr.contains("\(proxy.host)/ok/img@sha256:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/tmp") == [])
        #expect(try ws.mab(["store", "fsck", "--home", home]).status == 0)
        let tags = try ws.mab(["store", "tags", "--home", home])
        #expect(tags.stdout == "")
        let nothing = try ws.mab(["pull", "127.0.0.1:1/none:1", "--home", home], environment: Self.fast)
        #expect(nothing.stderr.hasPrefix("mab: error: pull 127.0.0.1:1/none:1: "))
        #expect(nothing.stderr.contains("(after 5 attempts)"))
    }
}

extension RegistryFaultTests {
    @Test func corruptBlobsAreRefusedAndNeverStored() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        _ = try image(ws)
        #expect(try ws.mab(["push", "local/img:1", "\(registry.host)/ok/img:1"]).status == 0)
        let proxy = try TestFaultProxy(upstream: registry, mode: "corrupt", count: 0)
        defer { proxy.stop() }
        let home = ws.path("h4")
        let pull = try ws.mab(["pull", "\(proxy.host)/ok/img:1", "--home", home], environment: Self.fast)
        #expect(pull.status == 1)
        #expect(pull.stderr.contains("mab: error: \(proxy.host)/ok/img@sha256:"))
        #expect(pull.stderr.contains(": the registry sent content with digest sha256:"))
        #expect(pull.stderr.contains("nothing was stored"))
        // No blob with the wrong content, nothing half-written, nothing tagged.
        #expect(try ws.mab(["store", "fsck", "--home", home]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/tmp") == [])
        #expect(try ws.mab(["store", "tags", "--home", home]).stdout == "")
    }
}
