import ArgumentParser
import Executor

/// How a build's steps run and show: what `mab build` and `mab repro` share (repro hands
/// them to each of its builds as given, `arguments`).
struct StepOptions: ParsableArguments {
    @Option(help: "Layer compression: gzip[:LEVEL], zstd[:LEVEL] or none.")
    var compression: String = "gzip"

    @Option(name: .customLong("secret"), help: "A secret for RUN --mount=type=secret: id=ID,src=FILE or id=ID,env=VARIABLE (repeatable).")
    var secretSpecs: [String] = []

    @Option(name: .customLong("allow"), help: "Grant RUN steps an entitlement: security.insecure (RUN --security=insecure: every capability, no seccomp) or network.host (RUN --network=host) (repeatable).")
    var allow: [String] = []

    @Option(help: "How to show progress on stderr: auto (tty on a terminal, else plain), tty, plain or json.")
    var progress: ProgressMode = .auto

    static let defaultBinfmtRoot = "/proc/sys/fs/binfmt_misc"

    @Option(name: .customLong("binfmt-root"), help: ArgumentHelp("The binfmt_misc directory the emulation check reads.", visibility: .hidden))
    var binfmtRoot: String = StepOptions.defaultBinfmtRoot

    @Option(name: .customLong("builder"), help: "BuildKit nodes: a builder's name (mab builder create), an address (unix:///PATH, tcp://HOST:PORT) or PLATFORM=ADDRESS (repeatable; default: BUILDKIT_HOST, then the builder in use).")
    var builders: [String] = []

    /// `--allow`'s entitlements, in the order given.
    func entitlements() throws -> [Entitlement] {
        try allow.map { name in
            guard let e = Entitlement(rawValue: name) else {
                throw CLIError.usage("--allow \(name): unknown entitlement (use \(Entitlement.allCases.map(\.rawValue).joined(separator: " or ")))")
            }
            return e
        }
    }

    /// These options as `mab build` takes them (the defaults left out).
    var arguments: [String] {
        var a = ["--compression", compression, "--progress", progress.rawValue]
        for s in secretSpecs { a += ["--secret", s] }
        for e in allow { a += ["--allow", e] }
        if binfmtRoot != Self.defaultBinfmtRoot { a += ["--binfmt-root", binfmtRoot] }
        for b in builders { a += ["--builder", b] }
        return a
    }
}
