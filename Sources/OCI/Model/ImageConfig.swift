/// An image configuration (OCI image-spec "Image Configuration").
public struct ImageConfig: Sendable, Hashable, Codable {
    public var created: String?
    public var author: String?
    public var architecture: String
    public var os: String
    public var variant: String?
    public var osVersion: String?
    public var config: ContainerConfig?
    public var rootfs: RootFS
    public var history: [HistoryEntry]?

    enum CodingKeys: String, CodingKey {
        case created, author, architecture, os, variant, config, rootfs, history
        case osVersion = "os.version"
    }

    public init(platform: Platform, rootfs: RootFS, config: ContainerConfig? = nil, created: String? = nil, history: [HistoryEntry]? = nil) {
        self.architecture = platform.architecture
        self.os = platform.os
        self.variant = platform.variant
        self.rootfs = rootfs
        self.config = config
        self.created = created
        self.history = history
    }

    public var platform: Platform { Platform(os: os, architecture: architecture, variant: variant) }
}
