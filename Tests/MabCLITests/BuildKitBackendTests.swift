import Foundation
import Testing

/// `mab build --backend buildkit` against a stand-in buildctl written here (a shell
/// script, named as such): it answers `debug workers` as buildkitd v0.26.3
/// does, replays recorded rawjson progress on stderr and streams an OCI archive on stdout.
/// What is checked is mab's side: scheduling, the command line, process control, the
/// stream import, the joined index, the report, the errors.
struct BuildKitBackendTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/buildctl").path

    /// A stand-in buildctl in `dir`: `progress` is replayed, `archive` is the stdout of a
    /// build, `status` its exit status; every command line is appended to `dir/calls`.
    static func standIn(_ dir: String, progress: String, archive: String?, status: Int32, platforms: String = #"[{"architecture":"amd64","os":"linux"},{"architecture":"arm64","os":"linux"}]"#) throws -> String {
        let path = dir + "/buildctl-stand-in"
        try """
            #!/bin/sh
            # Stand-in for buildctl in mab's tests (not BuildKit).
            echo "$*" >> \(dir)/calls
            case "$*" in
              *"debug workers"*) echo '[{"id":"w","platforms":\(platforms),"buildkitVersion":{"package":"github.com/moby/buildkit","version":"v0.26.3","revision":""}}]'; exit 0 ;;
            esac
            cat \(progress) >&2
            \(archive.map { "cat \($0)" } ?? "true")
            exit \(status)

            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test func aBuildThroughBuildctlIsImportedJoinedAndReported() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        // The image the stand-in "builds": made natively, as an OCI archive.
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN uname -m > /arch\n")
        let made = try ws.mab(["build", ctx, "--platform", "linux/arm64", "--output", "type=oci,dest=\(ws.path("image.tar"))"])
        try #require(made.status == 0, "\(made.stderr)")
        let buildctl = try Self.standIn(ws.path(""), progress: Self.fixtures + "/a-progress.rawjson.txt", archive: ws.path("image.tar"), status: 0)
        let env = ["MAB_BUILDCTL": buildctl]
        let dry = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/arm64", "--dry-run", "--build-arg", "A=1"], environment: env)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("\(buildctl) --addr unix:///run/bk.sock build --frontend dockerfile.v0 --local context=\(ctx) --local dockerfile=\(ctx) --opt filename=Dockerfile --opt platform=linux/arm64 --opt build-arg:A=1 --progress rawjson --metadata-file "), "\(dry.stdout)")
        #expect(dry.stdout.hasSuffix(" --output type=oci,dest=-\n"))

        let r = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/arm64", "--progress", "plain", "--report", ws.path("report.json"), "-t", "bk/app:1"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        // One node needs no answer before the build starts; what it said is shown when it
        // comes, and is in the report.
        #expect(r.stderr.contains("mab: node node0 (unix:///run/bk.sock) builds linux/arm64 (emulated)\n"), "\(r.stderr)")
        #expect(r.stderr.contains("[probe linux/arm64 2/2] RUN uname -m > /arch"))
        #expect(r.stderr.contains("warning (node node0): InvalidBaseImagePlatform"))
        #expect(r.stdout == made.stdout, "the same image, imported as it streamed")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("report.json")))) as? [String: Any]
        let image = try #require((report?["images"] as? [[String: Any]])?.first)
        let builtBy = try #require(image["builtBy"] as? [String: Any])
        #expect(builtBy["node"] as? String == "node0" && builtBy["buildkitVersion"] as? String == "v0.26.3" && builtBy["emulated"] as? Bool == true)
        let calls = try String(contentsOfFile: ws.path("calls"), encoding: .utf8).split(separator: "\n")
        #expect(calls.filter { $0.contains(" build ") }.count == 1)
        // A rebuild goes by the answer the node gave a moment ago instead of asking again.
        let again = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/arm64", "--progress", "plain", "--report", ws.path("report2.json")], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("mab: node node0 (unix:///run/bk.sock) builds linux/arm64 (emulated)\n"), "\(again.stderr)")
        let after = try String(contentsOfFile: ws.path("calls"), encoding: .utf8).split(separator: "\n")
        #expect(after.filter { $0.contains(" build ") }.count == 2 && after.filter { $0.contains("debug workers") }.count == 1, "\(after)")
        let report2 = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("report2.json")))) as? [String: Any]
        #expect(((report2?["images"] as? [[String: Any]])?.first?["builtBy"] as? [String: Any])?["buildkitVersion"] as? String == "v0.26.3")
    }

    /// An OCI layout named as a build context goes to buildctl by digest (its dockerfile
    /// frontend takes no tag for a layout); a tag the layout lacks is refused before any run.
    @Test func anOCILayoutContextIsGivenByDigest() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let base = try ws.context("FROM \(BuildTests.base)\nRUN true\n")
        let made = try ws.mab(["build", base, "--platform", "linux/arm64", "-t", "lay:1", "--output", "type=oci-dir,dest=\(ws.path("layout"))"])
        try #require(made.status == 0, "\(made.stderr)")
        let ctx = try ws.context("FROM lay\nRUN true\n")
        let buildctl = try Self.standIn(ws.path(""), progress: "/dev/null", archive: nil, status: 0)
        let env = ["MAB_BUILDCTL": buildctl]
        let dry = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/arm64", "--dry-run", "--build-context", "lay=oci-layout://\(ws.path("layout")):lay:1"], environment: env)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains(" --oci-layout lay=\(ws.path("layout")) --opt context:lay=oci-layout://lay@\(made.stdout.trimmingCharacters(in: .newlines)) "), "\(dry.stdout)")
        let missing = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/arm64", "--build-context", "lay=oci-layout://\(ws.path("layout")):nope"], environment: env)
        #expect(missing.status != 0)
        #expect(missing.stderr == "mab: error: --build-context lay=oci-layout://\(ws.path("layout")):nope: tag \"nope\" not found in \(ws.path("layout"))\n", "\(missing.stderr)")
        let calls = (try? String(contentsOfFile: ws.path("calls"), encoding: .utf8)) ?? ""
        #expect(!calls.contains(" build "))
    }

    /// `mab plan` with a builder shows which node builds which platform.
    @Test func planShowsTheAssignment() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN true\n")
        let buildctl = try Self.standIn(ws.path(""), progress: "/dev/null", archive: nil, status: 0)
        let env = ["MAB_BUILDCTL": buildctl]
        let text = try ws.mab(["plan", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/amd64,linux/arm64"], environment: env)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasSuffix("\nbuildkit nodes:\n  node0 (unix:///run/bk.sock, BuildKit v0.26.3): linux/amd64 native, linux/arm64 emulated\n"), "\(text.stdout)")
        let json = try ws.mab(["plan", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/arm64", "--format", "json"], environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["buildkit"] as? [[String: Any]])?.first?["emulated"] as? [String] == ["linux/arm64"])
        #expect(object?["plan"] != nil)
        let dot = try ws.mab(["plan", ctx, "--builder", "unix:///run/bk.sock", "--format", "dot"], environment: env)
        #expect(dot.stdout.contains("subgraph cluster_buildkit {") && dot.stdout.hasSuffix("}\n"))
        // Without a builder, the plan is what it always was.
        let plain = try ws.mab(["plan", ctx, "--platform", "linux/arm64"])
        #expect(!plain.stdout.contains("buildkit nodes"))
    }

    @Test func aFailedVertexIsTheError() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN exit 1\n")
        let buildctl = try Self.standIn(ws.path(""), progress: Self.fixtures + "/d-progress.rawjson.txt", archive: nil, status: 1)
        let r = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/amd64", "--progress", "plain"], environment: ["MAB_BUILDCTL": buildctl])
        #expect(r.status == 1)
        // Located at the recipe line of the step BuildKit names ([2/2]: the RUN on line 2).
        #expect(r.stderr.contains("mab: error: \(ctx)/Dockerfile:2: error: buildctl on node node0 exited with status 1: [2/2] RUN echo \"about to fail\" && exit 1: process \"/bin/sh -c echo \\\"about to fail\\\" && exit 1\" did not complete successfully: exit code: 1"), "\(r.stderr)")
    }

    @Test func noBuilderNoNodeNoBuildctl() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\n")
        let none = try ws.mab(["build", ctx, "--backend", "buildkit"], environment: ["XDG_CONFIG_HOME": ws.path("config"), "BUILDKIT_HOST": ""])
        #expect(none.status == 1)
        #expect(none.stderr.contains("mab: error: --backend buildkit needs a builder: "), "\(none.stderr)")
        let buildctl = try Self.standIn(ws.path(""), progress: "/dev/null", archive: nil, status: 0, platforms: #"[{"architecture":"amd64","os":"linux"}]"#)
        let arm = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock", "--platform", "linux/arm64"], environment: ["MAB_BUILDCTL": buildctl])
        #expect(arm.stderr.contains("mab: error: no node can build linux/arm64: nodes node0 (linux/amd64) neither build it natively nor emulate it"), "\(arm.stderr)")
        let missing = try ws.mab(["build", ctx, "--builder", "unix:///run/bk.sock"], environment: ["MAB_BUILDCTL": "/nonexistent/buildctl"])
        #expect(missing.stderr.contains("mab: error: buildctl is not installed or not on PATH"), "\(missing.stderr)")
    }

    @Test func builderCommands() throws {
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let env = ["XDG_CONFIG_HOME": ws.path("config")]
        #expect(try ws.mab(["builder", "create", "ci", "unix:///run/amd.sock", "--platform", "linux/amd64"], environment: env).status == 0)
        #expect(try ws.mab(["builder", "create", "ci", "tcp://127.0.0.1:1234", "--append", "--node", "arm", "--platform", "linux/arm64"], environment: env).status == 0)
        let again = try ws.mab(["builder", "create", "ci", "unix:///run/x.sock"], environment: env)
        #expect(again.status == 1 && again.stderr.contains("a builder named \"ci\" exists: add a node to it with --append"))
        let tls = try ws.mab(["builder", "create", "t", "tcp://127.0.0.1:1", "--tlscert", "/nonexistent/c.pem", "--tlskey", "/nonexistent/k.pem"], environment: env)
        #expect(tls.stderr.contains("mab: error: --tlscert /nonexistent/c.pem: no such file"), "\(tls.stderr)")
        #expect(try ws.mab(["builder", "use", "ci"], environment: env).status == 0)
        // inspect asks every node: here one answers (the stand-in) and one does not.
        let buildctl = try Self.standIn(ws.path(""), progress: "/dev/null", archive: nil, status: 0)
        let probe = """
            #!/bin/sh
            case "$*" in *amd.sock*) exec \(buildctl) "$@" ;; *) echo "error: connection refused" >&2; exit 1 ;; esac

            """
        try probe.write(toFile: ws.path("buildctl-probe"), atomically: true, encoding: .utf8)
        chmod(ws.path("buildctl-probe"), 0o755)
        let inspect = try ws.mab(["builder", "inspect"], environment: env.merging(["MAB_BUILDCTL": ws.path("buildctl-probe")]) { $1 })
        #expect(inspect.status == 1)
        #expect(inspect.stdout == """
            Name: ci

            Node:      ci0
            Address:   unix:///run/amd.sock
            Declared:  linux/amd64
            Status:    running
            BuildKit:  v0.26.3
            Platforms: linux/amd64, linux/arm64
            Native:    linux/amd64

            Node:      arm
            Address:   tcp://127.0.0.1:1234
            Declared:  linux/arm64
            Status:    unreachable: node arm (tcp://127.0.0.1:1234) does not answer: error: connection refused; is buildkitd running there? (mab builder inspect shows every node)

            """, "\(inspect.stdout)")
        let ls = try ws.mab(["builder", "ls"], environment: env)
        #expect(ls.stdout.contains("ci *\n"), "\(ls.stdout)")
        #expect(ls.stdout.contains("\\_ ci0") && ls.stdout.contains("unix:///run/amd.sock") && ls.stdout.contains("linux/amd64*"))
        #expect(ls.stdout.contains("\\_ arm") && ls.stdout.contains("tcp://127.0.0.1:1234") && ls.stdout.contains("linux/arm64*"))
        #expect(try ws.mab(["builder", "rm", "ci"], environment: env).status == 0)
        let gone = try ws.mab(["builder", "inspect", "ci"], environment: env)
        #expect(gone.stderr.contains("mab: error: no builder named \"ci\""), "\(gone.stderr)")
    }

    /// A stand-in whose build on `unix:///run/slow.sock` never ends (its pid in dir/slow.pid)
    /// and on `unix:///run/fail.sock` fails at once with the recorded failure.
    static func twoNodeStandIn(_ dir: String) throws -> String {
        let path = dir + "/buildctl-stand-in"
        try """
            #!/bin/sh
            # Stand-in for buildctl in mab's tests (not BuildKit).
            case "$*" in
              *"debug workers"*slow*|*slow*"debug workers"*) echo '[{"platforms":[{"architecture":"arm64","os":"linux"}]}]'; exit 0 ;;
              *"debug workers"*) echo '[{"platforms":[{"architecture":"amd64","os":"linux"}]}]'; exit 0 ;;
              *slow.sock*) echo $$ > \(dir)/slow.pid; exec sleep 600 ;;
              *) sleep 0.2; cat \(fixtures)/d-progress.rawjson.txt >&2; exit 1 ;;
            esac

            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Two nodes build at once; the first failure stops the other and is the error.
    @Test func theFirstFailureStopsTheOtherNode() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN true\n")
        let buildctl = try Self.twoNodeStandIn(ws.path(""))
        let r = try ws.mab(["build", ctx, "--builder", "linux/arm64=unix:///run/slow.sock", "--builder", "linux/amd64=unix:///run/fail.sock",
                            "--platform", "linux/amd64,linux/arm64", "--progress", "plain"], environment: ["MAB_BUILDCTL": buildctl])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/Dockerfile:2: error: buildctl on node node1 exited with status 1: [2/2] RUN echo"), "\(r.stderr)")
        let pid = try #require(Int32(try String(contentsOfFile: ws.path("slow.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0, "the other node's buildctl was stopped")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp") == [])
        #expect(try ws.mab(["store", "fsck"]).status == 0)
    }

    /// Ctrl-C stops every buildctl; exit 130, the store consistent.
    @Test func interruptStopsBuildctl() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN true\n")
        let buildctl = try Self.twoNodeStandIn(ws.path(""))
        let process = Process()
        process.executableURL = MabProcess.executable
        process.arguments = ["build", ctx, "--builder", "unix:///run/slow.sock", "--platform", "linux/arm64", "--progress", "plain"]
        process.environment = ProcessInfo.processInfo.environment.merging(["MAB_HOME": ws.home, "MAB_BUILDCTL": buildctl]) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Until the stand-in runs (or mab ended without starting it: then the checks below fail).
        for _ in 0..<1500 where !FileManager.default.fileExists(atPath: ws.path("slow.pid")) && process.isRunning { usleep(20_000) }
        kill(process.processIdentifier, SIGINT)
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(text)")
        #expect(text.hasSuffix("mab: error: interrupted: buildctl on node node0 was stopped\n"), "\(text)")
        let pid = try #require(Int32(try String(contentsOfFile: ws.path("slow.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0)
        #expect(try ws.mab(["store", "fsck"]).status == 0)
    }
}
