import BuildKit
import OCI
import Testing

/// Which node builds which platform.
struct PlatformSchedulerTests {
    static func node(_ name: String, declared: [Platform] = []) throws -> BuilderNode {
        BuilderNode(name: name, address: try BuilderAddress(parsing: "unix:///run/\(name).sock"), platforms: declared)
    }

    @Test func aNativeNodeWinsOverAnEmulatingOne() throws {
        let amd = NodeCapabilities(node: try Self.node("amd"), reported: [.linuxAMD64, .linuxARM64])
        let arm = NodeCapabilities(node: try Self.node("arm"), reported: [.linuxARM64, .linuxAMD64])
        let a = try PlatformScheduler.assign([.linuxAMD64, .linuxARM64], to: [amd, arm])
        #expect(a.map { "\($0.node.name): \($0.platforms.map(\.description)) emulated \($0.emulated.map(\.description))" } == [
            "amd: [\"linux/amd64\"] emulated []", "arm: [\"linux/arm64\"] emulated []",
        ])
    }

    @Test func oneNodeBuildsBothInOneCallEmulatingTheOther() throws {
        let amd = NodeCapabilities(node: try Self.node("amd"), reported: [.linuxAMD64, .linuxARM64])
        let a = try PlatformScheduler.assign([.linuxAMD64, .linuxARM64], to: [amd])
        #expect(a.count == 1 && a[0].platforms == [.linuxAMD64, .linuxARM64] && a[0].emulated == [.linuxARM64])
    }

    @Test func declaredPlatformsComeFirst() throws {
        // Both report amd64 first (both hosts are amd64), but b was declared for arm64.
        let a = NodeCapabilities(node: try Self.node("a"), reported: [.linuxAMD64, .linuxARM64])
        let b = NodeCapabilities(node: try Self.node("b", declared: [.linuxARM64]), reported: [.linuxAMD64, .linuxARM64])
        let got = try PlatformScheduler.assign([.linuxARM64, .linuxAMD64], to: [a, b])
        #expect(got.map(\.node.name) == ["a", "b"])
        #expect(got[0].platforms == [.linuxAMD64] && got[1].platforms == [.linuxARM64] && got[1].emulated.isEmpty)
    }

    @Test func noNodeForAPlatform() throws {
        let amd = NodeCapabilities(node: try Self.node("amd"), reported: [.linuxAMD64])
        #expect(throws: BuilderError.cannotBuild(platform: "linux/arm64", nodes: ["amd (linux/amd64)"])) {
            try PlatformScheduler.assign([.linuxARM64], to: [amd])
        }
    }
}
