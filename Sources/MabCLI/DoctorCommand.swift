import ArgumentParser
import BuildKit
import Doctor
import Executor
import Foundation
import OCI
import Registry

/// `mab doctor`: whether this machine can build the requested platforms, and how to fix it.
public struct DoctorCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that this machine can build each platform.",
        discussion: """
            Every check is a row: ✓ ok, ✗ failed (with the commands that fix it on Debian/Ubuntu), ! warning. \
            Exit status 0 when every requested platform can be built here, 1 otherwise.
            """)

    @Option(help: "Platforms to check (default linux/amd64,linux/arm64; shorthands such as arm64 work).")
    var platform: String = "linux/amd64,linux/arm64"

    @Option(help: "Output format: text or json.")
    var format: DoctorFormat = .text

    @Option(name: [.short, .customLong("tag")], help: "An image reference whose registry's credentials are checked (repeatable; never printed).")
    var tags: [String] = []

    @Option(name: .customLong("builder"), help: "BuildKit nodes to check, as for mab build: a builder's name, an address or PLATFORM=ADDRESS (repeatable; default: BUILDKIT_HOST, then the builder in use).")
    var builders: [String] = []

    @Option(name: .customLong("binfmt-root"), help: ArgumentHelp("The binfmt_misc directory to read.", visibility: .hidden))
    var binfmtRoot: String = "/proc/sys/fs/binfmt_misc"

    @Flag(name: .customLong("preflight"), help: ArgumentHelp("Run only the checks mab build runs before its first step.", visibility: .hidden))
    var preflightOnly = false

    @Option(name: .customLong("write-smoke"), help: "Write the smoke programs (smoke-amd64, smoke-arm64) into this directory and exit.")
    var writeSmoke: String?

    public init() {}

    public func run() throws {
        try CommandFailure.run {
            if let dir = writeSmoke {
                try FileSystem.makeDirectories(dir)
                for arch in ["amd64", "arm64"] {
                    try FileSystem.writeFileAtomically(dir + "/smoke-\(arch)", SmokeProgram.elf(architecture: arch) ?? [], mode: 0o755)
                }
                return
            }
            let environment = ProcessInfo.processInfo.environment
            let platforms = try platform.split(separator: ",").map { try Platform(parsing: String($0)) }
            var doctor = Doctor(platforms: platforms, binfmtRoot: binfmtRoot, environment: environment)
            if preflightOnly {
                // What a build checks for each foreign platform with a RUN (benchmarks/doctor.sh times it).
                let rows = platforms.filter { $0.architecture != ELFHeader.hostArchitecture }.flatMap { doctor.preflight($0) }
                Terminal.output(rows.map { $0.text + "\n" }.joined())
                if !rows.isEmpty { throw ExitCode(1) }
                return
            }
            doctor.buildkitNodes = try BuilderSelection.nodes(builders, environment: environment, store: BuilderStore(environment: environment)) ?? []
            var report = doctor.run()
            // What a RUN's sandbox holds; a build cannot run steps without it.
            let confinement = ConfinementProbe.rows()
            report.rows += confinement
            if confinement.contains(where: { $0.status == .fail }) {
                for i in report.platforms.indices { report.platforms[i].buildable = false }
            }
            report.rows += try credentialRows(environment)
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.output(Array(try encoder.encode(report)) + [0x0A])
            case .text:
                var text = report.rows.map(\.text).joined(separator: "\n") + "\n"
                for v in report.platforms { text += "\(v.platform): \(v.buildable ? "can be built here" : "cannot be built here")\n" }
                Terminal.output(text)
            }
            if !report.allBuildable { throw ExitCode(1) }
        }
    }

    /// Per registry named with -t: whether credentials are configured (never what they are).
    func credentialRows(_ environment: [String: String]) throws -> [DoctorRow] {
        var rows: [DoctorRow] = []
        var seen: Set<String> = []
        for tag in tags {
            let registry = try ImageReference(parsing: tag).registry
            guard seen.insert(registry).inserted else { continue }
            do {
                if try DockerConfig(environment: environment).credentials(for: registry) != nil {
                    rows.append(DoctorRow("registry \(registry)", .ok, "credentials configured (docker config.json)"))
                } else {
                    rows.append(DoctorRow("registry \(registry)", .warn, "no credentials: pulls and pushes are anonymous", fix: ["mab login \(registry)"]))
                }
            } catch {
                rows.append(DoctorRow("registry \(registry)", .warn, "credentials cannot be read: \(error)", fix: ["mab login \(registry)"]))
            }
        }
        return rows
    }
}
