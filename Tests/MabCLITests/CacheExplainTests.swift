import Foundation
import Testing

/// `mab cache explain` and the miss reasons `mab build` prints: the right input is named
/// for a changed file, build arg and base image; a secret's value and a .dockerignored
/// file never cause a miss, and the secret is never printed.
@Suite(.serialized) struct CacheExplainTests {
    /// `sha256:` and the first 10 hex digits of a context file's digest (`file MODE\n` + content).
    func short(_ content: String, mode: String = "644") throws -> String {
        let r = try MabProcess.run(executable: "/bin/sh", ["-c", "printf 'file \(mode)\\n%s' \"$1\" | sha256sum", "sh", content])
        return "sha256:" + r.stdout.prefix(10) + "…"
    }

    func steps(_ stdout: String) -> [String] { stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("HIT ") || $0.hasPrefix("MISS ") } }

    @Test func eachMissNamesTheInputThatChanged() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("""
            FROM \(BuildTests.base)
            ARG VERSION=1.2
            COPY src/ /app/
            RUN echo $VERSION > /v
            RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /n

            """)
        try FileManager.default.createDirectory(atPath: ctx + "/src", withIntermediateDirectories: true)
        try "a\n".write(toFile: ctx + "/src/main.go", atomically: true, encoding: .utf8)
        try "b\n".write(toFile: ctx + "/src/util.go", atomically: true, encoding: .utf8)
        try "notes.txt\n".write(toFile: ctx + "/.dockerignore", atomically: true, encoding: .utf8)
        try "one\n".write(toFile: ctx + "/notes.txt", atomically: true, encoding: .utf8)
        let secret = ws.path("token")
        try "s3cr3t-value-one".write(toFile: secret, atomically: true, encoding: .utf8)
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        let build = ["build", ctx, "--platform", "linux/amd64", "--secret", "id=tok,src=\(secret)", "--progress", "plain"]
        let explain = ["cache", "explain", ctx, "--platform", "linux/amd64"]
        let prefix = ["[stage-0 linux/amd64 1/5] FROM \(BuildTests.base) (\(ctx)/Dockerfile:1)",
                      "[stage-0 linux/amd64 2/5] ARG VERSION=1.2 (\(ctx)/Dockerfile:2)",
                      "[stage-0 linux/amd64 3/5] COPY src/ /app/ (\(ctx)/Dockerfile:3)",
                      "[stage-0 linux/amd64 4/5] RUN echo $VERSION > /v (\(ctx)/Dockerfile:4)",
                      "[stage-0 linux/amd64 5/5] RUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /n (\(ctx)/Dockerfile:5)"]

        // Nothing recorded yet: every step is new.
        let first = try ws.mab(explain, environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("\(ctx)/Dockerfile (linux/amd64, target 0): no earlier build recorded\n"))
        #expect(steps(first.stdout) == prefix.map { "MISS  \($0): no earlier build of this step is recorded" })
        try #require(try ws.mab(build, environment: env).status == 0)
        let all = try ws.mab(explain, environment: env)
        #expect(steps(all.stdout) == prefix.map { "HIT   \($0)" }, "\(all.stdout)")
        #expect(all.stdout.hasSuffix("5 of 5 steps hit; 0 would run\n"))

        // A secret's new value and a .dockerignored file change nothing; the value is never shown.
        try "s3cr3t-value-two".write(toFile: secret, atomically: true, encoding: .utf8)
        try "two\n".write(toFile: ctx + "/notes.txt", atomically: true, encoding: .utf8)
        let same = try ws.mab(explain + ["--format", "json"], environment: env)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any])
        let jsteps = try #require(doc["steps"] as? [[String: Any]])
        #expect(jsteps.map { $0["hit"] as? Bool } == [true, true, true, true, true])
        #expect(!same.stdout.contains("s3cr3t") && !same.stdout.contains("notes.txt"))
        let copyFiles = (jsteps[2]["files"] as? [String: [String: String]])?.values.first
        #expect(copyFiles?.keys.sorted() == ["src", "src/main.go", "src/util.go"])
        #expect((jsteps[3]["inputs"] as? [String: [String]])?["args"] == ["VERSION=1.2"])
        let rebuilt = try ws.mab(build, environment: env)
        #expect(rebuilt.stderr.contains("(0 steps run, 3 cached)"), "\(rebuilt.stderr)")
        #expect(!rebuilt.stderr.contains("cache miss"))

        // One context file: the COPY names it, what follows misses for its parent.
        try "changed\n".write(toFile: ctx + "/src/main.go", atomically: true, encoding: .utf8)
        let file = try ws.mab(explain, environment: env)
        try #require(steps(file.stdout).count == 5, "\(file.stdout)")
        let copyReason = "src/main.go changed (\(try short("a\n")) → \(try short("changed\n")))"
        #expect(steps(file.stdout) == ["HIT   " + prefix[0], "HIT   " + prefix[1], "MISS  \(prefix[2]): \(copyReason)",
                                       "MISS  \(prefix[3]): parent step missed", "MISS  \(prefix[4]): parent step missed"], "\(file.stdout)")
        // The build prints the same reason as each step starts.
        let built = try ws.mab(build, environment: env)
        #expect(built.status == 0)
        #expect(built.stderr.contains("#3 cache miss: \(copyReason)\n"), "\(built.stderr)")
        #expect(built.stderr.contains("#4 cache miss: parent step missed\n"))
        #expect(!built.stderr.contains("s3cr3t"))
        // The entries behind src/ are kept once per digest, the old ones dropped.
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/build-records/entries").count == 1)

        // A build arg: the first step that carries it names it.
        let arg = try ws.mab(explain + ["--build-arg", "VERSION=1.3"], environment: env)
        let argLines = steps(arg.stdout)
        try #require(argLines.count == 5, "\(arg.stdout)")
        #expect(argLines[1] == "HIT   [stage-0 linux/amd64 2/5] ARG VERSION=1.3 (\(ctx)/Dockerfile:2): changed since the last build: build-arg VERSION changed 1.2 → 1.3")
        #expect(argLines[3] == "MISS  [stage-0 linux/amd64 4/5] RUN echo $VERSION > /v (\(ctx)/Dockerfile:4): build-arg VERSION changed 1.2 → 1.3")
        #expect(argLines[2].hasSuffix("COPY src/ /app/ (\(ctx)/Dockerfile:3): build-arg VERSION changed 1.2 → 1.3"), "\(arg.stdout)")
        let json = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--secret", "id=tok,src=\(secret)", "--progress", "json", "--build-arg", "VERSION=1.3"], environment: env)
        #expect(json.stderr.contains("\"cacheMiss\":\"build-arg VERSION changed 1.2 → 1.3\""), "\(json.stderr)")

        // The base image re-tagged to new content: the FROM says so.
        let retag = try ws.mab(["import", "linux/amd64=\(BuildTests.fixtures)/amd64", "-t", BuildTests.base], environment: ["SOURCE_DATE_EPOCH": "1700000001"])
        try #require(retag.status == 0, "\(retag.stderr)")
        let base = try ws.mab(explain + ["--build-arg", "VERSION=1.3"], environment: env)
        let baseLines = steps(base.stdout)
        #expect(baseLines.first?.hasPrefix("MISS  \(prefix[0]): base image digest changed (tag re-pushed): sha256:") == true, "\(base.stdout)")
        #expect(baseLines.dropFirst().allSatisfy { $0.hasSuffix(": parent step missed") }, "\(base.stdout)")
    }
}
