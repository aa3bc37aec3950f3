import Foundation
import OCI

/// Runs a command in a root filesystem with bubblewrap: new mount, pid, ipc and uts
/// namespaces, `/proc` and `/dev` inside (the image's own `/tmp`), network shared or none, and the
/// confinement of a BuildKit RUN (see `Confinement`), made by the init program bubblewrap
/// starts first (see `SandboxInit`). Foreign-architecture binaries run through the kernel's
/// binfmt_misc + qemu-user registration (with the F flag, the interpreter is found inside
/// the sandbox).
public struct Sandbox: Sendable {
    public enum Network: String, Sendable { case host, none }

    public var root: String
    public var environment: [String: String]
    public var workingDirectory: String
    public var user: String?
    /// Supplementary groups of the user (none: only the primary group).
    public var groups: [UInt32] = []
    public var network: Network
    public var hostname: String
    /// When set, `cancel()` kills the running sandbox and `run` throws `interrupted`.
    public var cancellation: Cancellation?
    /// More mounts, made in order after `/proc` and `/dev` (RUN --mount, heredoc scripts,
    /// `/etc/hosts` and `/etc/resolv.conf`); their targets must exist in the root.
    public var mounts: [SandboxMount] = []
    public var confinement: Confinement

    public init(root: String, environment: [String: String], workingDirectory: String = "/", user: String? = nil, network: Network = .host, hostname: String = Sandbox.defaultHostname, confinement: Confinement) {
        self.root = root
        self.confinement = confinement
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.network = network
        self.hostname = hostname
    }

    public static func bwrapPath() throws -> String {
        for p in ["/usr/bin/bwrap", "/usr/local/bin/bwrap"] where FileManager.default.isExecutableFile(atPath: p) { return p }
        throw ExecutorError.missingTool(tool: "bubblewrap (bwrap)", package: "bubblewrap")
    }

    /// The bwrap arguments for running `argv`.
    public func arguments(_ argv: [String]) -> [String] {
        var args = [
            "--bind", root, "/", "--proc", "/proc", "--dev", "/dev", "--mqueue", "/dev/mqueue",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", hostname,
            "--die-with-parent", "--new-session", "--clearenv", "--chdir", workingDirectory,
        ]
        for mount in mounts { args += mount.arguments }
        if network == .none { args.append("--unshare-net") }
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { args += ["--setenv", k, v] }
        args += confinement.bubblewrapArguments
        guard let initProgram else { return args + ["--"] + argv }
        return args + ["--ro-bind", initProgram, Self.initTarget, "--", Self.initTarget] + resolve(argv)
    }

    /// A RUN's hostname, BuildKit's (`/etc/hosts` names it too).
    public static let defaultHostname = "buildkitsandbox"

    /// `/etc/hosts` in a RUN, as BuildKit writes it for its default hostname.
    public static let hostsFile = "127.0.0.1\tlocalhost \(defaultHostname)\n::1\tlocalhost ip6-localhost ip6-loopback\n"

    /// Where the init program is mounted (bwrap's own /dev, never in a layer).
    static let initTarget = "/dev/.mab-init"

    /// The init program on the host, made by `run`.
    var initProgram: String?

    /// `argv` with a bare command name looked up in the sandbox's PATH inside the root, as
    /// execvp would (the init program executes it with execve, which does not search).
    func resolve(_ argv: [String]) -> [String] {
        guard let name = argv.first, !name.contains("/") else { return argv }
        let path = environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for dir in path.split(separator: ":") where dir.hasPrefix("/") {
            let candidate = "\(dir)/\(name)"
            if let host = try? RootPath.resolve(candidate, in: root), access(host, X_OK) == 0 && !FileSystem.isDirectory(host) {
                return [candidate] + argv.dropFirst()
            }
        }
        return argv
    }

    /// Runs `argv` and returns its exit status and combined output (the last 64 KiB);
    /// `output` sees every chunk as it arrives.
    public func run(_ argv: [String], output: ((Data) -> Void)? = nil) throws -> (status: Int32, output: String) {
        var box = self
        // Always switched, root too: the RUN's groups are the user's, never mab's own.
        let parts = (user ?? "0").split(separator: ":", omittingEmptySubsequences: false)
        let ids = parts.compactMap { UInt32($0) }
        guard (1...2).contains(parts.count), ids.count == parts.count else {
            throw ExecutorError.sandbox("USER \(user ?? ""): not numeric UID[:GID]")
        }
        let switchTo = SandboxInit.User(uid: ids[0], gid: ids.last ?? ids[0], groups: groups)
        let work = confinement.initProgram(command: argv.first ?? "", user: switchTo)
        guard let program = work.program() else { throw ExecutorError.sandbox("no sandbox init program for this host's architecture") }
        let dir = try FileSystem.makeTemporaryDirectory(in: FileManager.default.temporaryDirectory.path, prefix: "mab-init")
        defer { try? FileSystem.removeTree(dir) }
        try FileSystem.writeFileAtomically(dir + "/init", program, mode: 0o755)
        box.initProgram = dir + "/init"
        return try box.spawn(argv, output: output)
    }

    private func spawn(_ argv: [String], output: ((Data) -> Void)?) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.bwrapPath())
        process.arguments = arguments(argv)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try cancellation?.check()
        do { try process.run() } catch { throw ExecutorError.sandbox("cannot start bwrap: \(error)") }
        var collected = Data()
        let handle = pipe.fileHandleForReading
        // On cancel, bwrap gets SIGKILL; --die-with-parent takes the sandbox down with it.
        let pid = process.processIdentifier
        let stop: @Sendable () -> Void = { kill(pid, SIGKILL) }
        (cancellation ?? Cancellation()).whileRunning(stop: stop) {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                output?(chunk)
                collected.append(chunk)
                if collected.count > 1 << 16 { collected = collected.suffix(1 << 16) }
            }
            process.waitUntilExit()
        }
        try cancellation?.check()
        return (process.terminationStatus, String(decoding: collected, as: UTF8.self))
    }
}
