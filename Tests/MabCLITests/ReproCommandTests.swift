import Foundation
import Testing

/// `mab repro` end to end: the examples are reproducible under every perturbation, a recipe
/// that is not is reported file by file with each cause (and stable files never blamed),
/// failures exit 2.
@Suite(.serialized) struct ReproCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples").path
    let sde = ["SOURCE_DATE_EPOCH": "1700000000"]

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theExamplesAreReproducibleUnderEveryPerturbation() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        for example in ["two-platform", "hello-multiarch"] {
            let r = try ws.mab(["repro", Self.examples + "/" + example, "--platform", "linux/amd64,linux/arm64", "--progress", "plain",
                                "--format", "json", "--report", ws.path("\(example).json")], environment: sde)
            #expect(r.status == 0, "\(example): \(r.stdout)\n\(r.stderr)")
            let report = try json(r.stdout)
            #expect(report["reproducible"] as? Bool == true)
            #expect(report["schemaVersion"] as? Int == 1)
            let runs = try #require(report["runs"] as? [[String: Any]])
            #expect(runs.map { $0["varied"] as? [String] } == [[], ["context-path", "mtimes", "umask", "time", "order", "parallelism"]])
            #expect(runs.map { $0["backend"] as? String } == ["native", "native"])
            let images = try #require(report["images"] as? [[String: Any]])
            #expect(images.map { $0["platform"] as? String } == ["linux/amd64", "linux/arm64"])
            for image in images {
                let rows = try #require(image["rows"] as? [[String: Any]])
                #expect(rows.count >= 4 && rows.allSatisfy { $0["same"] as? Bool == true })
                #expect((image["comparisons"] as? [Any])?.isEmpty == true)
            }
            // --report holds what --format json printed.
            #expect(try String(contentsOfFile: ws.path("\(example).json"), encoding: .utf8) == r.stdout)
        }
        // Each perturbation on its own, both platforms.
        for v in ["context-path", "mtimes", "umask", "time", "order", "parallelism"] {
            let r = try ws.mab(["repro", Self.examples + "/two-platform", "--platform", "linux/amd64,linux/arm64", "--progress", "plain", "--vary", v],
                               environment: sde)
            #expect(r.status == 0, "--vary \(v): \(r.stdout)\n\(r.stderr)")
            #expect(r.stdout.hasSuffix("\nreproducible: all 21 digests matched across 2 runs\n"), "\(r.stdout)")
        }
        // Nothing is left behind in the store's tmp/.
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp").filter { $0.hasPrefix("repro-") } == [])
    }

    @Test func anUnreproducibleRecipeIsExplainedFileByFile() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("""
            FROM \(BuildTests.base)
            COPY stable.txt /stable.txt
            RUN date > /built-at && cat /proc/sys/kernel/random/uuid > /build-id && echo same > /stable-run
            RUN touch /touched

            """)
        try "hello\n".write(toFile: ctx + "/stable.txt", atomically: true, encoding: .utf8)
        // No SOURCE_DATE_EPOCH: the touched file and the creation times differ too.
        let r = try ws.mab(["repro", ctx, "--platform", "linux/arm64", "--progress", "plain", "--format", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        let report = try json(r.stdout)
        #expect(report["reproducible"] as? Bool == false)
        let image = try #require((report["images"] as? [[String: Any]])?.first)
        let rows = try #require(image["rows"] as? [[String: Any]])
        let same = Dictionary(uniqueKeysWithValues: rows.map { ($0["what"] as! String, $0["same"] as! Bool) })
        // The context file's touched mtime is copied (as BuildKit copies it): without
        // SOURCE_DATE_EPOCH, its layer differs too.
        #expect(same == ["manifest": false, "config": false, "layer 1 diffID": true, "layer 1 digest": true, "layer 2 diffID": false, "layer 2 digest": false,
                         "layer 3 diffID": false, "layer 3 digest": false, "layer 4 diffID": false, "layer 4 digest": false])
        let comparison = try #require((image["comparisons"] as? [[String: Any]])?.first)
        #expect(comparison["run"] as? Int == 2 && comparison["against"] as? Int == 1)
        let fields = (comparison["configDifferences"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(fields == ["created", "history[1].created", "history[2].created", "history[3].created", "rootfs.diff_ids[1]", "rootfs.diff_ids[2]", "rootfs.diff_ids[3]"])
        #expect((comparison["hints"] as? [String]) == ["the image's creation times differ: set SOURCE_DATE_EPOCH"])
        let layers = try #require(comparison["layers"] as? [[String: Any]])
        try #require(layers.map { $0["index"] as? Int } == [2, 3, 4], "\(r.stdout)")
        let mtimeOnly = "only the modification time differs: set SOURCE_DATE_EPOCH (mab clamps file times to it)"
        let copied = try #require(layers[0]["files"] as? [[String: Any]])
        #expect(copied.map { $0["path"] as? String } == ["/stable.txt"])
        #expect(copied.map { $0["cause"] as? String } == [mtimeOnly])
        #expect((copied.first?["differences"] as? [[String: Any]])?.map { $0["field"] as? String } == ["mtime"])
        let run = try #require(layers[1]["files"] as? [[String: Any]])
        #expect(run.map { $0["path"] as? String } == ["/build-id", "/built-at", "/stable-run"])
        #expect(run.map { $0["cause"] as? String } == [
            "a random value written by the build (uuid, build id): derive it from the sources or make it at run time",
            "a timestamp written by the build (date, build time): write $SOURCE_DATE_EPOCH instead of the clock",
            mtimeOnly,
        ])
        #expect((run.last?["differences"] as? [[String: Any]])?.map { $0["field"] as? String } == ["mtime"], "/stable-run's content is never blamed")
        let touched = try #require(layers[2]["files"] as? [[String: Any]])
        #expect(touched.map { $0["path"] as? String } == ["/touched"])
        #expect(touched.first?["cause"] as? String == mtimeOnly)
        #expect((layers[1]["createdBy"] as? String)?.hasPrefix("RUN /bin/sh -c date > /built-at") == true)

        // The text and markdown forms say the same.
        let text = try ws.mab(["repro", ctx, "--platform", "linux/arm64", "--progress", "plain", "--vary", "time", "--format", "markdown"], environment: sde)
        #expect(text.status == 1)
        #expect(text.stdout.hasPrefix("## mab repro: not reproducible\n\nNOT reproducible: 5 of 11 digests differ between the runs.\n"), "\(text.stdout)")
        #expect(text.stdout.contains("| `/built-at` | content: at byte "), "\(text.stdout)")
        #expect(text.stdout.contains("| `/build-id` | content: at byte "), "\(text.stdout)")
        #expect(!text.stdout.contains("| `/touched`") && !text.stdout.contains("| `/stable"), "with SOURCE_DATE_EPOCH the file times are clamped")
    }

    @Test func aFailedBuildOrBadOptionsExitTwo() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN exit 3\n")
        let r = try ws.mab(["repro", ctx, "--platform", "linux/amd64", "--progress", "plain"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr.hasSuffix("mab: error: run 1 (native) failed with exit status 1; its messages are above\n"), "\(r.stderr)")

        let once = try ws.mab(["repro", ctx, "--runs", "1"])
        #expect(once.status == 2)
        #expect(once.stderr == "mab: error: --runs 1 with one backend builds once: nothing to compare (use --runs 2 or two backends)\n")
        let vary = try ws.mab(["repro", ctx, "--vary", "mtimes,clock"])
        #expect(vary.status == 2)
        #expect(vary.stderr == "mab: error: --vary clock: unknown variation (use context-path, mtimes, umask, time, order, parallelism, all or none)\n")
        let backends = try ws.mab(["repro", ctx, "--backends", "docker"])
        #expect(backends.stderr == "mab: error: --backends docker: use native, buildkit or native,buildkit\n")
        let bad = try ws.context("FROM \(BuildTests.base)\nCOPY --chwon=1:1 a /b\n", name: "bad")
        let syntax = try ws.mab(["repro", bad])
        #expect(syntax.status == 2)
        #expect(syntax.stderr.hasPrefix("\(bad)/Dockerfile:2:6: error: unknown flag: chwon (for COPY) (did you mean --chown?)\n"), "\(syntax.stderr)")
        #expect(syntax.stdout == "")
    }

    /// Ctrl-C reaches repro alone (each build runs in a process group of its own): it passes
    /// it on, the build stops as `mab build` does, no later run starts, nothing is left.
    @Test func interruptedReproStopsItsBuild() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN echo started && sleep 60\n")
        let process = Process()
        process.executableURL = MabProcess.executable
        process.arguments = ["repro", ctx, "--platform", "linux/amd64", "--progress", "plain"]
        process.environment = ProcessInfo.processInfo.environment.merging(["MAB_HOME": ws.home]) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains(" started\n") {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGINT)
        text += String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(text.hasSuffix(" started\nmab: SIGINT: stopping the build\n#2 CANCELED\nmab: error: interrupted: the build stopped; sandboxes ended, mounts undone, nothing half-written\nmab: error: interrupted during run 1\n"), "\(text)")
        #expect(!text.contains("run 2 of 2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp") == [])
    }

    @Test func keepCacheReusesTheStore() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN echo one > /one\n")
        let r = try ws.mab(["repro", ctx, "--platform", "linux/amd64", "--progress", "plain", "--keep-cache", "--runs", "3"], environment: sde)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        // Run 1 builds in the workspace's store; runs 2 and 3 find its cache there.
        #expect(r.stderr.components(separatedBy: "(1 steps run, 0 cached)").count == 2, "\(r.stderr)")
        #expect(r.stderr.components(separatedBy: "(0 steps run, 1 cached)").count == 3, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("\nreproducible: all 7 digests matched across 3 runs\n"), "\(r.stdout)")

        // A recipe on standard input is read once and given to every run.
        let stdin = try MabProcess.run(["repro", ctx, "-f", "-", "--platform", "linux/amd64", "--progress", "plain"],
                                       stdin: "FROM \(BuildTests.base)\nRUN echo two > /two\n", environment: ["MAB_HOME": ws.home].merging(sde) { $1 })
        #expect(stdin.status == 0, "\(stdin.stderr)")
        #expect(stdin.stdout.hasSuffix("\nreproducible: all 7 digests matched across 2 runs\n"), "\(stdin.stdout)")
    }
}
