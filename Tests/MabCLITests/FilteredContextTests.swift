import Foundation
import Testing

/// Every path by which a context reaches a step sees the same filtered context: COPY, a
/// read-only or writable bind mount of the main context, and of a named directory context
/// (which has a `.dockerignore` of its own, as in BuildKit); and the cache key hashes only
/// what the step can see.
@Suite(.serialized) struct FilteredContextTests {
    func context(_ ws: ImportInspectTests.Workspace) throws -> (main: String, named: String) {
        let fm = FileManager.default
        let main = ws.path("ctx"), named = ws.path("named")
        for dir in ["logs", "tmp/deep", "src"] { try fm.createDirectory(atPath: main + "/" + dir, withIntermediateDirectories: true) }
        try fm.createDirectory(atPath: named, withIntermediateDirectories: true)
        let files = [
            main + "/.env": "TOKEN=secret\n", main + "/app.txt": "app\n", main + "/logs/important.log": "keep\n",
            main + "/logs/noise.log": "drop\n", main + "/tmp/deep/x": "drop\n", main + "/src/a.c": "int a;\n", main + "/src/a.o": "obj\n",
            main + "/.dockerignore": ".env\nlogs/\n!logs/important.log\ntmp\n**/*.o\n",
            named + "/id_rsa": "PRIVATE\n", named + "/config": "conf\n", named + "/.dockerignore": "id_rsa\n",
        ]
        for (path, text) in files { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        try """
            FROM \(BuildTests.base)
            RUN --mount=type=bind,target=/ctx find /ctx | sort > /bind-ro
            RUN --mount=type=bind,target=/ctx,rw touch /ctx/new && find /ctx | sort > /bind-rw
            RUN --mount=type=bind,from=named,target=/named find /named | sort > /bind-named
            COPY . /copied/
            COPY --from=named . /named-copied/
            RUN find /copied /named-copied | sort > /copies && cat /bind-ro /bind-rw /bind-named /copies > /seen

            """.write(toFile: main + "/Dockerfile", atomically: true, encoding: .utf8)
        return (main, named)
    }

    @Test func bindMountsShowWhatCopySees() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let (main, named) = try context(ws)
        let args = ["build", main, "--build-context", "named=\(named)", "--platform", "linux/amd64", "--report", ws.path("report.json")]
        let r = try ws.mab(args)
        #expect(r.status == 0, "\(r.stderr)")
        let visible = [".dockerignore", "Dockerfile", "app.txt", "logs", "logs/important.log", "src", "src/a.c"]
        let seen = try SandboxConfinementTests.built("seen", report: ws.path("report.json"), home: ws.home)
        let readOnly: [String] = ["/ctx"] + visible.map { "/ctx/" + $0 }
        let writable: [String] = ["/ctx"] + (visible + ["new"]).sorted().map { "/ctx/" + $0 }
        let namedBind: [String] = ["/named", "/named/.dockerignore", "/named/config"]
        let copies: [String] = ["/copied"] + visible.map { "/copied/" + $0 } + ["/named-copied", "/named-copied/.dockerignore", "/named-copied/config"]
        let expected = readOnly + writable + namedBind + copies
        #expect(seen.split(separator: "\n").map(String.init) == expected)
        // The writable bind's change went to a throw-away layer, not the context.
        #expect(!FileManager.default.fileExists(atPath: main + "/new"))
        // An excluded file is not in the keys either: changing it misses no cache.
        try "TOKEN=rotated\n".write(toFile: main + "/.env", atomically: true, encoding: .utf8)
        try "ANOTHER\n".write(toFile: named + "/id_rsa", atomically: true, encoding: .utf8)
        let again = try ws.mab(args + ["--progress", "plain"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("(0 steps run, 6 cached)"), "\(again.stderr)")
        // A visible file is: the first bind mount reads it, so it and every step after run again.
        try "app v2\n".write(toFile: main + "/app.txt", atomically: true, encoding: .utf8)
        let changed = try ws.mab(args + ["--progress", "plain"])
        #expect(changed.stderr.contains("(6 steps run, 0 cached)"), "\(changed.stderr)")
        // Nothing of the views is left mounted or on disk.
        let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!mounts.contains(ws.home))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp").isEmpty)
    }
}
