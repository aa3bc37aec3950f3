/// The execution parameters of an image config (the `config` object; Docker's field names).
public struct ContainerConfig: Sendable, Hashable, Codable {
    /// The PATH BuildKit gives a stage whose image has none (`system.DefaultPathEnv`).
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    /// The shell of shell-form RUN, CMD and ENTRYPOINT when no SHELL is set.
    public static let defaultShell = ["/bin/sh", "-c"]

    public var user: String?
    public var exposedPorts: [String: EmptyObject]?
    public var env: [String]?
    public var entrypoint: [String]?
    public var cmd: [String]?
    public var volumes: [String: EmptyObject]?
    public var workingDir: String?
    public var labels: [String: String]?
    public var stopSignal: String?
    public var argsEscaped: Bool?
    public var healthcheck: HealthConfig?
    public var onBuild: [String]?
    public var shell: [String]?

    enum CodingKeys: String, CodingKey {
        case user = "User", exposedPorts = "ExposedPorts", env = "Env", entrypoint = "Entrypoint", cmd = "Cmd"
        case volumes = "Volumes", workingDir = "WorkingDir", labels = "Labels", stopSignal = "StopSignal"
        case argsEscaped = "ArgsEscaped", healthcheck = "Healthcheck", onBuild = "OnBuild", shell = "Shell"
    }

    public init(env: [String]? = nil, cmd: [String]? = nil) {
        self.env = env
        self.cmd = cmd
    }
}
