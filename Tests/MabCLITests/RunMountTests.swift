import Foundation
import Testing

/// `RUN --mount` of every type and `RUN --network`, end to end for linux/amd64 and
/// linux/arm64 (under qemu): what the command sees, what the layer keeps (no mount point,
/// no secret), and what the cache keys see.
@Suite(.serialized) struct RunMountTests {
    static let recipe = """
        FROM \(BuildTests.base) AS tool
        RUN mkdir -p /opt/tool && echo "tool-$(uname -m)" > /opt/tool/id

        FROM \(BuildTests.base)
        WORKDIR /w
        RUN --mount=type=bind,source=src,target=/mnt/src cat /mnt/src/data.txt > /from-context
        RUN --mount=type=bind,from=tool,source=/opt/tool,target=/t cat /t/id > /from-stage
        RUN --mount=type=bind,target=ctx,rw touch ctx/scribble && ls ctx > /ctx-list
        RUN --mount=type=cache,target=/var/cache/c,id=counter,sharing=locked n=$(cat /var/cache/c/n 2>/dev/null || echo 0); echo $((n+1)) > /var/cache/c/n; echo $((n+1)) > /runs
        RUN --mount=type=tmpfs,target=/scratch,size=1m df -k /scratch | tail -1 | awk '{print $2}' > /tmpfs-size && touch /scratch/x
        RUN --mount=type=secret,id=token test "$(tr a-z A-Z < /run/secrets/token)" = S3CRET && echo ok > /secret-file
        RUN --mount=type=secret,id=token,env=TOKEN test "$(echo "$TOKEN" | tr a-z A-Z)" = S3CRET && echo ok > /secret-env
        RUN --network=none ip -o link | wc -l > /links

        """

    /// Every member of a layer blob, as bsdtar lists it.
    func members(_ blob: String) throws -> [String] {
        try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tf", blob]).stdout.split(separator: "\n").map(String.init)
    }

    @Test func everyMountTypeOnBothPlatforms() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx + "/src", withIntermediateDirectories: true)
        try "from the context\n".write(toFile: ctx + "/src/data.txt", atomically: true, encoding: .utf8)
        try Self.recipe.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        try "s3cret".write(toFile: ws.path("token"), atomically: true, encoding: .utf8)
        let layout = ws.path("out")
        let args = ["build", ctx, "--platform", "linux/amd64,linux/arm64", "--secret", "id=token,src=\(ws.path("token"))", "--progress", "plain"]
        let r = try ws.mab(args + ["--output", "type=oci-dir,dest=\(layout)", "--report", ws.path("report.json")])
        #expect(r.status == 0, "\(r.stderr)")

        let build = BuildTests()
        var runs: [String] = []
        for (layers, machine) in zip(try build.layerBlobs(layout), ["x86_64", "aarch64"]) {
            // busybox, WORKDIR /w's layer (as BuildKit makes it), then one layer per RUN.
            try #require(layers.count == 10, "\(layers)")
            #expect(try build.extract(layers[2], "from-context") == "from the context\n")
            #expect(try build.extract(layers[3], "from-stage") == "tool-\(machine)\n")
            #expect(try build.extract(layers[4], "ctx-list") == "Dockerfile\nscribble\nsrc\n")
            runs.append(try build.extract(layers[5], "runs"))
            #expect(try build.extract(layers[6], "tmpfs-size") == "1024\n")
            #expect(try build.extract(layers[7], "secret-file") == "ok\n")
            #expect(try build.extract(layers[8], "secret-env") == "ok\n")
            #expect(try build.extract(layers[9], "links") == "1\n")
            // Mount points made for the step are not in its layer; what it wrote is.
            let m = try layers.map(members)
            #expect(m[1] == ["w/"])
            #expect(m[2] == ["from-context"])
            #expect(m[3] == ["from-stage"])
            #expect(m[4] == ["ctx-list"])
            #expect(m[5] == ["runs"])
            #expect(m[6] == ["tmpfs-size"])
            #expect(m[7] == ["secret-file"])
            #expect(m[8] == ["secret-env"])
        }
        // The cache is one directory for both platforms, taken one at a time (locked).
        #expect(runs.sorted() == ["1\n", "2\n"])
        // The writable bind mount wrote nothing to the context.
        #expect(!FileManager.default.fileExists(atPath: ctx + "/scribble"))
        // The secret is in no layer, no config, no report and no output.
        let blobs = try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256")
        for blob in blobs {
            let path = layout + "/blobs/sha256/" + blob
            let text = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-xOf", path]).stdout
            let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            #expect(!text.contains("s3cret") && !raw.contains("s3cret"), "\(blob)")
        }
        #expect(!(try String(contentsOfFile: ws.path("report.json"), encoding: .utf8)).contains("s3cret"))
        #expect(!r.stderr.contains("s3cret") && !r.stdout.contains("s3cret"))

        // Unchanged: every step cached. The mounted context file changed: its step and the
        // ones after it run again (8 per platform); the tool stage and WORKDIR stay cached.
        let again = try ws.mab(args)
        #expect(again.stderr.contains("(0 steps run, 20 cached)"), "\(again.stderr)")
        try "changed\n".write(toFile: ctx + "/src/data.txt", atomically: true, encoding: .utf8)
        let changed = try ws.mab(args)
        #expect(changed.stderr.contains("(16 steps run, 4 cached)"), "\(changed.stderr)")
        #expect(try ws.mab(["store", "fsck"]).status == 0)
    }

    @Test func mountErrorsNameTheLine() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            ("RUN --mount=type=secret,id=nope,required=true true",
             "\(ctx)/Dockerfile:2:1: error: RUN --mount=type=secret: secret nope is required but was not given (mab build --secret id=nope,src=FILE or --secret id=nope,env=VARIABLE)"),
            ("RUN []", "\(ctx)/Dockerfile:2:1: error: RUN []: the exec form names no program"),
            ("RUN --mount=type=ssh true",
             "\(ctx)/Dockerfile:2:1: error: RUN --mount=type=ssh: SSH agent forwarding is not supported by the native executor; pass a key with a secret mount (--secret id=KEY,src=FILE and --mount=type=secret,id=KEY) instead"),
            ("RUN --mount=type=bind,source=missing,target=/m true",
             "\(ctx)/Dockerfile:2:1: error: RUN --mount=type=bind: \"missing\" not found in the build context"),
        ]
        for (line, message) in cases {
            try "FROM \(BuildTests.base)\n\(line)\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
            let r = try ws.mab(["build", ctx, "--progress", "plain"])
            #expect(r.status == 1, "\(line)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
        }
        // A secret that is not required and not given: the step runs without it.
        try "FROM \(BuildTests.base)\nRUN --mount=type=secret,id=absent test ! -e /run/secrets/absent\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let optional = try ws.mab(["build", ctx])
        #expect(optional.status == 0, "\(optional.stderr)")
        // Bad --secret flags are usage errors before anything runs.
        let bad = try ws.mab(["build", ctx, "--secret", "id=x,src=/nonexistent/file"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("mab: error: --secret id=x: cannot read /nonexistent/file: "), "\(bad.stderr)")
        let noEnv = try ws.mab(["build", ctx, "--secret", "id=MAB_TEST_UNSET_VARIABLE"])
        #expect(noEnv.stderr == "mab: error: --secret id=MAB_TEST_UNSET_VARIABLE: the environment variable MAB_TEST_UNSET_VARIABLE is not set\n")
    }

    /// A bind, cache or tmpfs mount without a target is mounted at the WORKDIR (a relative
    /// one under it), as BuildKit joins them (two steps see one cache: the same default id).
    /// A stage of one layer (FROM scratch + COPY) can be copied and mounted from (its view
    /// once named one directory twice, which overlayfs refuses with ELOOP).
    @Test func mountsWithoutTargetUseTheWorkdir() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("""
            FROM scratch AS files
            COPY f.txt /data/f.txt
            FROM \(BuildTests.base)
            COPY --from=files /data/f.txt /copied.txt
            WORKDIR /work
            RUN --mount=from=files cat /work/data/f.txt > /seen && ls /work >> /seen
            RUN --mount=type=cache echo cached > /work/c.txt
            RUN --mount=type=cache cat /work/c.txt >> /seen
            RUN --mount=type=tmpfs,target=sub touch /work/sub/x && ls /work/sub >> /seen && cat /copied.txt >> /seen

            """)
        try "from a one-layer stage\n".write(toFile: ctx + "/f.txt", atomically: true, encoding: .utf8)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--report", ws.path("report.json")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try SandboxConfinementTests.built("seen", report: ws.path("report.json"), home: ws.home)
            == "from a one-layer stage\ndata\ncached\nx\nfrom a one-layer stage\n")
        let root = try ws.context("FROM \(BuildTests.base)\nRUN --mount=type=cache true\n", name: "root")
        let refused = try ws.mab(["build", root, "--platform", "linux/amd64"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("Dockerfile:2:1: error: RUN --mount=type=cache: invalid mount target \"/\""), "\(refused.stderr)")
    }

    /// `mab store prune` removes the unpacked root filesystems; `--cache-mounts` empties the
    /// cache mounts too. The next build unpacks again and starts its cache afresh.
    @Test func pruneRemovesSnapshotsAndCacheMounts() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("""
            FROM \(BuildTests.base)
            RUN --mount=type=cache,target=/c n=$(cat /c/n 2>/dev/null || echo 0); echo $((n+1)) | tee /c/n > /runs

            """)
        let args = ["build", ctx, "--platform", "linux/amd64", "--no-cache", "-t", "test/prune:1", "--output", "type=oci-dir,dest=\(ws.path("out"))"]
        #expect(try ws.mab(args).status == 0)
        #expect(try ws.mab(args).status == 0)
        #expect(try BuildTests().extract(try #require(try BuildTests().layerBlobs(ws.path("out")).first?.last), "runs") == "2\n")
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: ws.home + "/snapshots")
        #expect(!snapshots.isEmpty)
        let plain = try ws.mab(["store", "prune"])
        #expect(plain.stdout.hasSuffix("removed \(snapshots.count) unpacked root filesystems (\(plain.stdout.split(separator: "(").last ?? "")"), "\(plain.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/snapshots") == [])
        #expect(FileManager.default.fileExists(atPath: ws.home + "/cache-mounts"))
        let all = try ws.mab(["store", "prune", "--cache-mounts"])
        #expect(all.stdout.hasSuffix("removed 0 unpacked root filesystems (0 B)\nremoved 1 cache mounts\n"), "\(all.stdout)")
        #expect(!FileManager.default.fileExists(atPath: ws.home + "/cache-mounts"))
        #expect(try ws.mab(args).status == 0)
        #expect(try BuildTests().extract(try #require(try BuildTests().layerBlobs(ws.path("out")).first?.last), "runs") == "1\n")
        #expect(try ws.mab(["store", "fsck"]).status == 0)
    }
}
