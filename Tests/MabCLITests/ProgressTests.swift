import Foundation
import Testing

/// `mab build --progress plain|json|tty`: what each display writes for a real two-platform
/// build (arm64 under qemu) whose RUN prints lines.
@Suite(.serialized) struct ProgressTests {
    /// In plain output: how the step with this `[label] instruction` ended (DONE, CACHED,
    /// ERROR…, CANCELED), found through its `#N`.
    static func plainEnding(_ stderr: String, _ title: String) -> String? {
        let lines = stderr.split(separator: "\n").map(String.init)
        guard let header = lines.first(where: { $0.hasSuffix(" " + title) && $0.hasPrefix("#") }) else { return nil }
        let number = header.prefix { $0 != " " } + " "
        let endings = ["DONE", "CACHED", "ERROR", "CANCELED"]
        return lines.last { $0.hasPrefix(number) && endings.contains(where: $0.dropFirst(number.count).hasPrefix) }
            .map { String($0.dropFirst(number.count).prefix { $0 != " " && $0 != ":" }) }
    }

    static let recipe = """
        FROM \(BuildTests.base)
        RUN echo "one on $(uname -m)" && echo two >&2
        CMD ["true"]

        """

    func context(_ ws: ImportInspectTests.Workspace) throws -> String {
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try Self.recipe.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        return ctx
    }

    @Test func plainNumbersStepsAndShowsTheirOutput() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try context(ws)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "--progress", "plain"], environment: ["SOURCE_DATE_EPOCH": "1"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        for (platform, machine) in [("linux/amd64", "x86_64"), ("linux/arm64", "aarch64")] {
            let title = "[stage-0 \(platform) 2/3] RUN echo \"one on $(uname -m)\" && echo two >&2"
            #expect(Self.plainEnding(r.stderr, title) == "DONE", "\(r.stderr)")
            let number = try #require(lines.first { $0.hasSuffix(title) }?.split(separator: " ").first)
            let output = lines.filter { $0.hasPrefix(number + " ") && !$0.contains("[") && !$0.contains("DONE") }
                .map { $0.split(separator: " ", maxSplits: 2).last.map(String.init) ?? "" }
            #expect(output == ["one on \(machine)", "two"], "\(r.stderr)")
            // Every output line has its offset in seconds, three decimals.
            #expect(lines.filter { $0.hasPrefix(number + " 0.") || $0.hasPrefix(number + " 1.") }.count >= 2, "\(r.stderr)")
        }
        #expect(lines.last?.hasPrefix("mab: built linux/amd64, linux/arm64 in ") == true)
        #expect(lines.last?.hasSuffix("s (2 steps run, 0 cached)") == true, "\(r.stderr)")
        let again = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "--progress", "plain"], environment: ["SOURCE_DATE_EPOCH": "1"])
        #expect(Self.plainEnding(again.stderr, "[stage-0 linux/arm64 2/3] RUN echo \"one on $(uname -m)\" && echo two >&2") == "CACHED")
        #expect(again.stdout == r.stdout)
    }

    @Test func jsonIsOneEventObjectPerLine() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try context(ws)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "--progress", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let events = try r.stderr.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not a JSON object: \($0)")
        }
        for e in events {
            let time = try #require(e["time"] as? String)
            #expect(time.count == 24 && time.hasSuffix("Z"), "\(time)")
        }
        // Each of the 6 steps starts and ends exactly once, in that order.
        let steps = events.filter { $0["type"] as? String == "step" }
        for platform in ["linux/amd64", "linux/arm64"] {
            for n in 1...3 {
                let states = steps.filter { $0["platform"] as? String == platform && $0["step"] as? Int == n }.compactMap { $0["status"] as? String }
                #expect(states == ["started", "done"], "\(platform) step \(n): \(states)")
            }
        }
        let logs = events.filter { $0["type"] as? String == "log" && $0["platform"] as? String == "linux/arm64" }
        #expect(logs.compactMap { $0["line"] as? String } == ["one on aarch64", "two"])
        #expect(logs.allSatisfy { $0["step"] as? Int == 2 && $0["stage"] as? String == "0" && $0["vertex"] as? String == "0@linux/arm64" })
        let result = try #require(events.last)
        #expect(result["type"] as? String == "result")
        let summary = try #require(result["result"] as? [String: Any])
        #expect(summary["digest"] as? String == r.stdout.trimmingCharacters(in: .newlines))
        #expect(summary["platforms"] as? [String] == ["linux/amd64", "linux/arm64"])
        #expect(summary["stepsRun"] as? Int == 2 && summary["stepsCached"] as? Int == 0)

        // A failure is a failed step and an error record, then the usual message.
        try "FROM \(BuildTests.base)\nRUN echo bad && exit 4\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let bad = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--progress", "json"])
        #expect(bad.status == 1)
        let badLines = bad.stderr.split(separator: "\n").map(String.init)
        let errorLine = try #require(badLines.last { $0.hasPrefix("{") })
        let error = try #require(try JSONSerialization.jsonObject(with: Data(errorLine.utf8)) as? [String: Any])
        #expect(error["type"] as? String == "error")
        #expect(error["message"] as? String == "\(ctx)/Dockerfile:2 [linux/amd64] RUN echo bad && exit 4 exited with status 4\nbad")
        #expect(bad.stderr.hasSuffix("}\nmab: error: \(ctx)/Dockerfile:2 [linux/amd64] RUN echo bad && exit 4 exited with status 4\nbad\n"), "\(bad.stderr)")
        #expect(bad.stderr.contains("\"status\":\"failed\""))
    }

    @Test func ttyDrawsALiveAreaAndCollapsesFinishedSteps() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try context(ws)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "--progress", "tty"])
        #expect(r.status == 0, "\(r.stderr)")
        // The live area is redrawn by moving the cursor up and clearing below it.
        #expect(r.stderr.contains("\u{1B}[J"))
        #expect(r.stderr.range(of: "\u{1B}\\[[0-9]+A", options: .regularExpression) != nil)
        // What stays: one line per finished step, the final header, the summary.
        let plain = r.stderr.replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "\u{1B}\\[[0-9]*[AJ]", with: "", options: .regularExpression)
        for platform in ["linux/amd64", "linux/arm64"] {
            let line = try #require(plain.split(separator: "\n").first { $0.hasPrefix(" => [stage-0 \(platform) 2/3] RUN echo") })
            #expect(line.hasSuffix("s") && line.count <= 79, "\(line)")
        }
        #expect(plain.contains("[+] Building "))
        #expect(plain.contains("(6/6) FINISHED\nmab: built linux/amd64, linux/arm64 in "), "\(plain)")

        // Built again with another SOURCE_DATE_EPOCH: each step that misses says why, under it.
        let again = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "--progress", "tty"], environment: ["SOURCE_DATE_EPOCH": "5"])
        #expect(again.status == 0, "\(again.stderr)")
        let lines = again.stderr.replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: "\u{1B}\\[[0-9]*[AJ]", with: "", options: .regularExpression).split(separator: "\n").map(String.init)
        let misses = lines.filter { $0.hasPrefix(" => => cache miss: the layer format changed: ") }
        #expect(misses.count == 2, "\(lines)")
    }

    @Test func unknownProgressAndBackendAreUsageErrors() throws {
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let p = try ws.mab(["build", ".", "--progress", "fancy"])
        #expect(p.status == 64)
        #expect(p.stderr.contains("The value 'fancy' is invalid for '--progress <progress>'"), "\(p.stderr)")
        let b = try ws.mab(["build", ".", "--backend", "daemon"])
        #expect(b.status == 64)
        #expect(b.stderr.contains("The value 'daemon' is invalid for '--backend <backend>'"), "\(b.stderr)")
    }
}
