/// Everything `mab doctor` found: the host, every row, and per requested platform
/// whether it can be built here.
public struct DoctorReport: Sendable, Encodable {
    public struct PlatformVerdict: Sendable, Encodable {
        public var platform: String
        public var buildable: Bool
    }

    public var hostArchitecture: String
    public var kernel: String
    public var rows: [DoctorRow]
    public var platforms: [PlatformVerdict]

    public var allBuildable: Bool { platforms.allSatisfy(\.buildable) }
}
