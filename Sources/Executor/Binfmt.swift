import Doctor
import OCI

/// Whether binaries of another platform can run here, asked before a build runs anything:
/// `mab doctor`'s emulation checks (the binfmt_misc registration found by ELF magic and
/// mask, its interpreter and flags, and the smoke program run directly and in a sandbox).
public struct Binfmt: Sendable {
    public let directory: String

    public init(directory: String = "/proc/sys/fs/binfmt_misc") { self.directory = directory }

    /// The doctor's failing rows for `platform`; empty when it can run.
    public func problems(for platform: Platform) -> [DoctorRow] {
        Doctor(platforms: [platform], binfmtRoot: directory).preflight(platform)
    }

    public func canRun(architecture: String) -> Bool {
        problems(for: Platform(os: "linux", architecture: architecture)).isEmpty
    }
}
