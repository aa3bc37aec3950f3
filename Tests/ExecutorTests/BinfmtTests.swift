import Foundation
import Testing
import OCI
import Plan
import Recipe
@testable import Executor

/// binfmt_misc registrations, read from a directory laid out like /proc/sys/fs/binfmt_misc.
@Suite struct BinfmtTests {
    /// Debian's qemu-aarch64 registration, as the kernel prints it.
    static let qemuAArch64 = """
        enabled
        interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
        flags: PF
        offset 0
        magic 7f454c460201010000000000000000000200b700
        mask ffffffffffffff00fffffffffffffffffeffffff

        """

    func directory(_ entries: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mab-binfmt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in entries { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func registrationsByArchitecture() throws {
        let dir = try directory(["qemu-aarch64": Self.qemuAArch64, "status": "enabled\n", "register": ""])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Binfmt(directory: dir).canRun(architecture: "arm64"))
        #expect(!Binfmt(directory: dir).canRun(architecture: "amd64"))

        let disabled = try directory(["qemu-aarch64": Self.qemuAArch64.replacingOccurrences(of: "enabled", with: "disabled")])
        defer { try? FileManager.default.removeItem(atPath: disabled) }
        #expect(!Binfmt(directory: disabled).canRun(architecture: "arm64"))
        #expect(!Binfmt(directory: "/nonexistent/binfmt_misc").canRun(architecture: "arm64"))
    }

    @Test func thisMachineRunsArm64() {
        // scripts/setup.sh registers qemu-aarch64; the build tests rely on it.
        #expect(Binfmt().canRun(architecture: "arm64"))
    }

    @Test func foreignRunWithoutRegistrationStopsBeforeAnything() throws {
        let recipe = try RecipeParser.parse("FROM scratch\nENV A=1\nRUN true\n", file: "ctx/Dockerfile")
        let plan = try Planner.plan(BuildRequest(recipe: recipe, contextDirectory: nil, platforms: [.linuxARM64], buildPlatform: .linuxAMD64))
        let empty = try directory([:])
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("mab-binfmt-home-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let builder = ImageBuilder(
            store: try ContentStore(root: home), plan: plan, contextDirectory: nil, writer: LayerWriter(), created: "1970-01-01T00:00:00Z",
            binfmt: Binfmt(directory: empty), fetchImage: { ref, _ in throw ExecutorError.sandbox("unexpected pull of \(ref)") }, progress: { _ in })
        #expect {
            try builder.build()
        } throws: { error in
            (error as? ExecutorError)?.description == """
                ctx/Dockerfile:3: RUN for linux/arm64 cannot run on this machine (mab doctor --platform linux/arm64 shows every check):
                ✗ binfmt_misc: not mounted at \(empty)
                    fix: mount -t binfmt_misc binfmt_misc \(empty)
                """
        }
        #expect(builder.executedSteps == 0)
        // Native builds need no registration.
        let native = try Planner.plan(BuildRequest(recipe: recipe, contextDirectory: nil, platforms: [.linuxAMD64], buildPlatform: .linuxAMD64))
        let nativeBuilder = ImageBuilder(
            store: try ContentStore(root: home), plan: native, contextDirectory: nil, writer: LayerWriter(), created: "1970-01-01T00:00:00Z",
            binfmt: Binfmt(directory: empty), fetchImage: { ref, _ in throw ExecutorError.sandbox("unexpected pull of \(ref)") }, progress: { _ in })
        try nativeBuilder.checkEmulation()
    }
}
