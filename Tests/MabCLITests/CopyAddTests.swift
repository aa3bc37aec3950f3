import Foundation
import Testing

/// COPY and ADD end to end against Docker's documented rules: each instruction's layer
/// is listed with bsdtar (names, modes, owners) and read back.
@Suite(.serialized) struct CopyAddTests {
    /// `bsdtar -tvf` of a layer as "MODE UID/GID NAME" lines (directories end in /).
    func listing(_ blob: String) throws -> [String] {
        let out = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", blob, "--numeric-owner"]).stdout
        return out.split(separator: "\n").map { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            // mode links uid gid size month day time name [-> target]
            return "\(f[0]) \(f[2])/\(f[3]) \(f[8...].joined(separator: " "))"
        }
    }

    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }

    /// A loopback HTTP server (stdlib Python) with one file, `downloaded\n`, at `path`;
    /// returns the process, its port and the file's digest.
    func serve(_ path: String, in ws: ImportInspectTests.Workspace) throws -> (Process, Int, String) {
        let served = ws.path("served")
        try write("downloaded\n", served + "/" + path)
        let port = LoopbackPort.free()
        let server = try LoopbackPort.startPythonFixture("file_server.py", port: port, [served])
        let sum = "sha256:" + (try MabProcess.run(executable: "/usr/bin/sha256sum", [served + "/" + path]).stdout.prefix(64))
        return (server, port, sum)
    }

    @Test func copyAndAddFollowDockersRules() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        for (name, text) in [("a.txt", "A\n"), ("b.txt", "B\n"), ("c.md", "C\n"), ("dir/x.txt", "X\n"), ("dir/sub/y.txt", "Y\n"),
                             ("dir/skip.tmp", "T\n"), ("ignored.log", "L\n"), ("t/one.txt", "one\n")] {
            try write(text, ctx + "/" + name)
        }
        _ = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-czf", ctx + "/arch.tar.gz", "-C", ctx, "t"])
        try FileManager.default.removeItem(atPath: ctx + "/t")
        try write("*.log\n", ctx + "/.dockerignore")
        let (server, port, sum) = try serve("files/data.bin", in: ws)
        defer { LoopbackPort.stop(server) }
        try """
            FROM \(BuildTests.base)
            ENV NAME=mab
            COPY a.txt /etc
            COPY a.txt /new/file
            COPY dir /opt/d
            COPY --exclude=*.tmp dir /opt/e/
            COPY *.txt /w/
            COPY --parents dir/sub/y.txt a.txt /p/
            COPY --parents ./dir/./sub/y.txt /q/
            COPY --chmod=u=rwx,go=rx a.txt /m/a
            COPY --chmod=+x b.txt /m/b
            COPY --chown=65534:65534 a.txt /o/a
            COPY <<EOF /h/greeting
            hello $NAME "quoted"
            EOF
            COPY <<'EOF' /h/raw
            $NAME
            EOF
            ADD arch.tar.gz /x/
            COPY arch.tar.gz /c/
            ADD --checksum=\(sum) http://127.0.0.1:\(port)/files/data.bin /u/
            COPY . /all/

            """.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let layout = ws.path("out")
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--output", "type=oci-dir,dest=\(layout)"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(r.status == 0, "\(r.stderr)")
        let layers = try #require(try BuildTests().layerBlobs(layout).first)
        try #require(layers.count == 17, "\(layers)")
        let l = try layers.map(listing)
        let build = BuildTests()
        // A file copied to a directory the image has goes inside it; the directory keeps
        // the image's mode and owner.
        #expect(l[1] == ["drwxr-xr-x 0/0 etc/", "-rw-r--r-- 0/0 etc/a.txt"])
        // No trailing slash and no such directory: the file is the destination.
        #expect(l[2] == ["drwxr-xr-x 0/0 new/", "-rw-r--r-- 0/0 new/file"])
        // A directory's contents are copied, not the directory.
        #expect(l[3] == ["drwxr-xr-x 0/0 opt/", "drwxr-xr-x 0/0 opt/d/", "-rw-r--r-- 0/0 opt/d/skip.tmp", "drwxr-xr-x 0/0 opt/d/sub/",
                         "-rw-r--r-- 0/0 opt/d/sub/y.txt", "-rw-r--r-- 0/0 opt/d/x.txt"])
        #expect(l[4] == ["drwxr-xr-x 0/0 opt/", "drwxr-xr-x 0/0 opt/e/", "drwxr-xr-x 0/0 opt/e/sub/", "-rw-r--r-- 0/0 opt/e/sub/y.txt",
                         "-rw-r--r-- 0/0 opt/e/x.txt"])
        #expect(l[5] == ["drwxr-xr-x 0/0 w/", "-rw-r--r-- 0/0 w/a.txt", "-rw-r--r-- 0/0 w/b.txt"])
        #expect(l[6] == ["drwxr-xr-x 0/0 p/", "-rw-r--r-- 0/0 p/a.txt", "drwxr-xr-x 0/0 p/dir/", "drwxr-xr-x 0/0 p/dir/sub/",
                         "-rw-r--r-- 0/0 p/dir/sub/y.txt"])
        #expect(l[7] == ["drwxr-xr-x 0/0 q/", "drwxr-xr-x 0/0 q/sub/", "-rw-r--r-- 0/0 q/sub/y.txt"])
        #expect(l[8] == ["drwxr-xr-x 0/0 m/", "-rwxr-xr-x 0/0 m/a"])
        #expect(l[9] == ["drwxr-xr-x 0/0 m/", "-rwxr-xr-x 0/0 m/b"])
        // Parents COPY makes belong to --chown's owner too, as BuildKit makes them.
        #expect(l[10] == ["drwxr-xr-x 65534/65534 o/", "-rw-r--r-- 65534/65534 o/a"])
        #expect(l[11] == ["drwxr-xr-x 0/0 h/", "-rw-r--r-- 0/0 h/greeting"])
        #expect(try build.extract(layers[11], "h/greeting") == "hello mab \"quoted\"\n")
        #expect(try build.extract(layers[12], "h/raw") == "$NAME\n")
        // ADD unpacks a local tar archive; COPY does not.
        #expect(l[13] == ["drwxr-xr-x 0/0 x/", "drwxr-xr-x 0/0 x/t/", "-rw-r--r-- 0/0 x/t/one.txt"])
        #expect(try build.extract(layers[13], "x/t/one.txt") == "one\n")
        #expect(l[14] == ["drwxr-xr-x 0/0 c/", "-rw-r--r-- 0/0 c/arch.tar.gz"])
        // ADD of a URL: the file is 0600, named after the URL's last element.
        #expect(l[15] == ["drwxr-xr-x 0/0 u/", "-rw------- 0/0 u/data.bin"])
        #expect(try build.extract(layers[15], "u/data.bin") == "downloaded\n")
        // COPY . leaves out what .dockerignore excludes (and the ignore file is copied).
        #expect(!l[16].contains { $0.hasSuffix("ignored.log") })
        #expect(l[16].contains("-rw-r--r-- 0/0 all/.dockerignore") && l[16].contains("-rw-r--r-- 0/0 all/dir/sub/y.txt"), "\(l[16])")
    }

    @Test func badSourcesAreErrorsNamingTheLine() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try write("plain\n", ctx + "/plain.txt")
        try write("*.log\n", ctx + "/.dockerignore")
        try write("L\n", ctx + "/x.log")
        try write("in sub\n", ctx + "/sub/f")
        let (server, port, actual) = try serve("data.bin", in: ws)
        defer { LoopbackPort.stop(server) }
        let zeros = "sha256:" + String(repeating: "0", count: 64)
        let cases: [(String, String)] = [
            ("COPY x.log /x", "\(ctx)/Dockerfile:2:1: error: COPY failed: \"x.log\" not found in the build context (or excluded by .dockerignore)"),
            // A file makes /x a file; a directory after it cannot go there (BuildKit's error).
            ("COPY plain.txt sub /x", "\(ctx)/Dockerfile:2:1: error: COPY cannot copy to non-directory: /x"),
            ("ADD --checksum=\(zeros) http://127.0.0.1:\(port)/data.bin /d", "\(ctx)/Dockerfile:2:1: error: ADD http://127.0.0.1:\(port)/data.bin: checksum mismatch: expected \(zeros), got \(actual)"),
            ("ADD http://127.0.0.1:\(port)/missing /d", "\(ctx)/Dockerfile:2:1: error: ADD http://127.0.0.1:\(port)/missing: GET http://127.0.0.1:\(port)/missing: HTTP 404"),
            ("ADD --checksum=md5:00 http://127.0.0.1:\(port)/data.bin /d", "\(ctx)/Dockerfile:2:5: error: invalid value \"md5:00\" for --checksum: use ALGORITHM:HEX, e.g. sha256:<64 hex digits>"),
            ("COPY --chmod=u=banana plain.txt /p", "\(ctx)/Dockerfile:2:6: error: invalid value \"u=banana\" for --chmod: use an octal mode such as 0755 or a symbolic one such as u+x"),
            ("ADD git@example.invalid:x/y.git /src", "\(ctx)/Dockerfile:2:1: error: ADD git@example.invalid:x/y.git: git sources are not supported by the native executor; clone in a RUN step or a build context instead"),
        ]
        for (line, message) in cases {
            try "FROM \(BuildTests.base)\n\(line)\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
            let r = try ws.mab(["build", ctx, "--progress", "plain"])
            #expect(r.status == 1, "\(line)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
        }
        #expect(try ws.mab(["store", "fsck"]).status == 0)
    }

    /// Symlinks in a stage resolve inside the stage: an absolute link to /etc is the
    /// stage's /etc, never the host's.
    @Test func sourcesThroughSymlinksStayInTheirRoot() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try """
            FROM \(BuildTests.base) AS s
            RUN mkdir -p /etc/mab && echo stage-secret > /etc/mab/only-in-stage && ln -s /etc /esc && ln -s ../../../../../../etc /up
            FROM \(BuildTests.base)
            COPY --from=s /esc/mab/only-in-stage /a
            COPY --from=s /up/mab/only-in-stage /b
            RUN --mount=type=bind,from=s,source=/esc/mab,target=/m cat /m/only-in-stage > /c

            """.write(toFile: (try { try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true); return ctx + "/Dockerfile" })(), atomically: true, encoding: .utf8)
        let layout = ws.path("out")
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--output", "type=oci-dir,dest=\(layout)"])
        #expect(r.status == 0, "\(r.stderr)")
        let layers = try #require(try BuildTests().layerBlobs(layout).first)
        let build = BuildTests()
        #expect(try build.extract(layers[1], "a") == "stage-secret\n")
        #expect(try build.extract(layers[2], "b") == "stage-secret\n")
        #expect(try build.extract(layers[3], "c") == "stage-secret\n")
        #expect(!FileManager.default.fileExists(atPath: "/etc/mab/only-in-stage"))
    }

    /// Two sources with a file of the same name: the later one wins in the image, and the
    /// build context is never written (the first file, hardlinked into the layer, was once
    /// truncated and rewritten through that link).
    @Test func aLaterSourceOfTheSameNameNeverWritesTheContext() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nCOPY d1/ d2/ /dest/\nRUN cat /dest/f > /seen\n")
        for (dir, text) in [("d1", "one\n"), ("d2", "two\n")] {
            try FileManager.default.createDirectory(atPath: ctx + "/" + dir, withIntermediateDirectories: true)
            try text.write(toFile: ctx + "/\(dir)/f", atomically: true, encoding: .utf8)
        }
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--report", ws.path("report.json")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try SandboxConfinementTests.built("seen", report: ws.path("report.json"), home: ws.home) == "two\n")
        #expect(try String(contentsOfFile: ctx + "/d1/f", encoding: .utf8) == "one\n")
        #expect(try String(contentsOfFile: ctx + "/d2/f", encoding: .utf8) == "two\n")
    }

    /// The layer's hardlinks are the sources' own, as BuildKit writes them (checked against
    /// buildkitd v0.26.3): one file reached by two sources (two symlinks) is two files;
    /// files hardlinked inside a copied directory stay one file and a link.
    @Test func hardlinksInALayerAreTheSourcesOwn() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nCOPY l* /dst/\nCOPY hd /hd\n")
        try write("real\n", ctx + "/real.txt")
        try write("h\n", ctx + "/hd/a")
        #expect(symlink("real.txt", ctx + "/l1") == 0 && symlink("real.txt", ctx + "/l2") == 0)
        #expect(link(ctx + "/hd/a", ctx + "/hd/b") == 0)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--output", "type=oci-dir,dest=\(ws.path("out"))"])
        #expect(r.status == 0, "\(r.stderr)")
        let layers = try #require(try BuildTests().layerBlobs(ws.path("out")).first)
        func entries(_ blob: String) throws -> [String] {
            try MabProcess.run(executable: "/usr/bin/tar", ["-tvf", blob]).stdout.split(separator: "\n").map { line in
                let f = line.split(separator: " ", omittingEmptySubsequences: true)
                return ([String(f[0].prefix(1))] + f.dropFirst(5).map(String.init)).joined(separator: " ")
            }
        }
        #expect(try entries(layers[1]) == ["d dst/", "- dst/l1", "- dst/l2"])
        #expect(try entries(layers[2]) == ["d hd/", "- hd/a", "h hd/b link to hd/a"])
    }
}
