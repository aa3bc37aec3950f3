import Foundation
import Testing

/// mab's native build of a recipe against BuildKit's build of it, recorded live
/// (Fixtures/repro-engines): the same layers (diffIDs) on both platforms, other compression,
/// and a config that differs only where documented.
struct EnginesAgreeTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/repro-engines").path

    /// The recipe's context: the recipe, its file, and the busybox roots.
    static func context(_ ws: ImportInspectTests.Workspace) throws -> String {
        let ctx = ws.path("engines")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        for f in ["Dockerfile", "notes.txt"] { try FileManager.default.copyItem(atPath: fixture + "/" + f, toPath: ctx + "/" + f) }
        for arch in ["amd64", "arm64"] {
            #expect(try MabProcess.run(executable: "/bin/cp", ["-a", BuildTests.fixtures + "/\(arch)", ctx + "/rootfs-\(arch)"]).status == 0)
        }
        return ctx
    }

    @Test func nativeAgreesWithRecordedBuildKit() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try Self.context(ws)
        let built = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "-t", "engines:native", "--progress", "plain"],
                               environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        try #require(built.status == 0, "\(built.stderr)")
        let d = try ws.mab(["diff", "oci:\(Self.fixture)/buildkit-layout:engines:buildkit", "engines:native", "--format", "json"])
        #expect(d.status == 1, "\(d.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(d.stdout.utf8)) as? [String: Any])
        let platforms = try #require(doc["platforms"] as? [[String: Any]])
        #expect(platforms.map { $0["platform"] as? String } == ["linux/amd64", "linux/arm64"])
        for p in platforms {
            let layers = try #require(p["layers"] as? [[String: Any]])
            #expect(layers.count == 4)
            #expect(layers.allSatisfy { ($0["diffID"] as? [String: Any])?["same"] as? Bool == true }, "\(layers)")
            #expect(layers.allSatisfy { ($0["digest"] as? [String: Any])?["same"] as? Bool == false })
            let fields = (p["configDifferences"] as? [[String: Any]])?.map { "\($0["field"] ?? ""): \($0["a"] ?? "") → \($0["b"] ?? "")" }
            #expect(fields == (0..<7).map { "history[\($0)].comment: \"buildkit.dockerfile.v0\" → \"mab\"" }, "\(p)")
            #expect((p["files"] as? [Any])?.isEmpty == true)
        }
    }
}
