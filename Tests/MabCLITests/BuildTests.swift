import Foundation
import Testing

/// `mab build` end to end on the busybox base images, both platforms (arm64 under qemu).
@Suite(.serialized) struct BuildTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/fixtures/busybox").path
    static let base = "localhost:5000/mab/busybox:1.35"

    func workspace() throws -> ImportInspectTests.Workspace {
        try #require(FileManager.default.fileExists(atPath: Self.fixtures + "/arm64/bin/busybox"), "run scripts/busybox-rootfs.sh")
        let ws = try ImportInspectTests.Workspace()
        let r = try ws.mab(["import", "linux/amd64=\(Self.fixtures)/amd64", "linux/arm64=\(Self.fixtures)/arm64", "-t", Self.base], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(r.status == 0, "\(r.stderr)")
        return ws
    }

    /// The layer blob paths of each image in an OCI layout, in index order (image indexes
    /// are followed).
    func layerBlobs(_ layout: String) throws -> [[String]] {
        func read(_ path: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }
        func blob(_ digest: String) -> String { layout + "/blobs/sha256/" + digest.dropFirst(7) }
        var images: [[String]] = []
        func visit(_ object: [String: Any]) throws {
            if let layers = object["layers"] as? [[String: Any]] {
                images.append(layers.compactMap { ($0["digest"] as? String).map(blob) })
                return
            }
            for entry in object["manifests"] as? [[String: Any]] ?? [] {
                if let digest = entry["digest"] as? String { try visit(read(blob(digest))) }
            }
        }
        try visit(read(layout + "/index.json"))
        return images
    }

    func extract(_ blob: String, _ member: String) throws -> String {
        try MabProcess.run(executable: "/usr/bin/bsdtar", ["-xOf", blob, member]).stdout
    }

    @Test func multiStageTwoPlatformBuild() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "hello from context\n".write(toFile: ctx + "/greeting.txt", atomically: true, encoding: .utf8)
        try """
            FROM \(Self.base) AS gen
            WORKDIR /out
            RUN uname -m > arch && echo generated > gen.txt
            FROM \(Self.base)
            ENV GREETING=hi
            COPY greeting.txt /etc/greeting
            COPY --from=gen /out/ /data/
            RUN cat /data/arch /etc/greeting > /summary && echo "$GREETING" >> /summary
            CMD ["cat", "/summary"]

            """.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "-t", "test/app:1", "--output", "type=oci,dest=\(ws.path("app.tar"))", "--report", ws.path("report.json")],
                           environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(r.status == 0, "\(r.stderr)")
        let reportBytes = try Data(contentsOf: URL(fileURLWithPath: ws.path("report.json")))
        #expect(reportBytes.last == 0x0A, "the report ends with a newline")
        let report = try JSONSerialization.jsonObject(with: reportBytes) as? [String: Any]
        let images = try #require(report?["images"] as? [[String: Any]])
        #expect(images.count == 2)
        for (image, machine) in zip(images, ["x86_64", "aarch64"]) {
            let layers = try #require(image["layers"] as? [[String: Any]])
            #expect(layers.map { $0["createdBy"] as? String ?? "" } == [
                // Worded as BuildKit words history.
                "mab import", "COPY greeting.txt /etc/greeting # buildkit", "COPY /out/ /data/ # buildkit",
                "RUN /bin/sh -c cat /data/arch /etc/greeting > /summary && echo \"$GREETING\" >> /summary # buildkit",
            ])
            // Base image layers carry no cache fields; the build's layers were all run.
            #expect(layers.map { $0["cacheHit"] as? Bool } == [nil, false, false, false])
            #expect(layers.map { ($0["cacheKey"] as? String)?.count } == [nil, 71, 71, 71])
            let digest = try #require((layers.last?["digest"] as? String)?.dropFirst(7))
            #expect(try extract(ws.home + "/blobs/sha256/\(digest)", "summary") == "\(machine)\nhello from context\nhi\n")
        }
        for arch in ["amd64", "arm64"] {
            let sk = try MabProcess.run(executable: "/usr/bin/skopeo", ["--override-arch", arch, "inspect", "oci-archive:\(ws.path("app.tar"))"])
            #expect(sk.stdout.contains("\"Architecture\": \"\(arch)\""), "\(sk.stderr)")
        }
        // The same inputs and SOURCE_DATE_EPOCH give the same image.
        let again = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64", "-t", "test/app:2", "--no-cache"], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(again.stderr.contains("(10 steps run, 0 cached)"), "\(again.stderr)")
        #expect(again.stdout == r.stdout)
    }

    @Test func cachedRebuildRunsNothingAndAContextChangeRerunsItsDependents() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "one\n".write(toFile: ctx + "/a.txt", atomically: true, encoding: .utf8)
        try "two\n".write(toFile: ctx + "/b.txt", atomically: true, encoding: .utf8)
        try """
            FROM \(Self.base)
            RUN echo base > /base.txt
            COPY a.txt /a.txt
            RUN cat /a.txt > /a-copy
            COPY b.txt /b.txt

            """.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let args = ["build", ctx, "--platform", "linux/amd64,linux/arm64", "-t", "test/cache:1"]
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        func layers(_ report: String) throws -> [[String: Any]] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
            return try #require(json?["images"] as? [[String: Any]]).flatMap { $0["layers"] as? [[String: Any]] ?? [] }
        }
        let first = try ws.mab(args + ["--report", ws.path("first.json")], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("(8 steps run, 0 cached)"), "\(first.stderr)")

        let second = try ws.mab(args + ["--report", ws.path("second.json")], environment: env)
        #expect(second.stderr.contains("(0 steps run, 8 cached)"), "\(second.stderr)")
        #expect(ProgressTests.plainEnding(second.stderr, "[stage-0 linux/arm64 2/5] RUN echo base > /base.txt") == "CACHED", "\(second.stderr)")
        #expect(second.stdout == first.stdout)
        // The report says which layers came from the cache, under the same keys.
        let (before, after) = (try layers(ws.path("first.json")), try layers(ws.path("second.json")))
        #expect(before.map { $0["cacheHit"] as? Bool } == [nil, false, false, false, false, nil, false, false, false, false])
        #expect(after.map { $0["cacheHit"] as? Bool } == [nil, true, true, true, true, nil, true, true, true, true])
        #expect(before.map { $0["cacheKey"] as? String } == after.map { $0["cacheKey"] as? String })

        // a.txt feeds COPY a.txt and everything after it; the first RUN stays cached.
        try "one, changed\n".write(toFile: ctx + "/a.txt", atomically: true, encoding: .utf8)
        let third = try ws.mab(args, environment: env)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("(6 steps run, 2 cached)"), "\(third.stderr)")
        #expect(third.stdout != first.stdout)
        let layout = ws.path("out")
        #expect(try ws.mab(args + ["--output", "type=oci-dir,dest=\(layout)"], environment: env).stdout == third.stdout)

        // Without the cache every step runs and the image is the same.
        let fresh = try ws.mab(args + ["--no-cache"], environment: env)
        #expect(fresh.stderr.contains("(8 steps run, 0 cached)"), "\(fresh.stderr)")
        #expect(fresh.stdout == third.stdout)

        // Records whose layers were pruned (only the first image had them) are misses:
        // back to the first a.txt, amd64 runs its COPY and the RUN after it again; those
        // layers are byte for byte arm64's, so then arm64's records find them in the store.
        #expect(try ws.mab(["store", "prune"]).status == 0)
        try "one\n".write(toFile: ctx + "/a.txt", atomically: true, encoding: .utf8)
        let amd64 = try ws.mab(["build", ctx, "--platform", "linux/amd64"], environment: env)
        #expect(amd64.stderr.contains("(2 steps run, 2 cached)"), "\(amd64.stderr)")
        let back = try ws.mab(args, environment: env)
        #expect(back.stderr.contains("(0 steps run, 8 cached)"), "\(back.stderr)")
        #expect(back.stdout == first.stdout)
    }

    @Test func interruptedBuildLeavesNoMountsAndAConsistentStore() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "FROM \(Self.base)\nRUN echo started && sleep 60\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = MabProcess.executable
        process.arguments = ["build", ctx, "--platform", "linux/arm64"]
        process.environment = ProcessInfo.processInfo.environment.merging(["MAB_HOME": ws.home]) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        // Interrupted once the command's first line was printed: the sandbox is running.
        while !text.contains(" started\n") {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGINT)
        text += String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(text.hasSuffix(" started\nmab: SIGINT: stopping the build\n#2 CANCELED\nmab: error: interrupted: the build stopped; sandboxes ended, mounts undone, nothing half-written\n"), "\(text)")
        #expect(!(try String(contentsOfFile: "/proc/mounts", encoding: .utf8)).contains(ws.home))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp") == [])
        #expect(try ws.mab(["store", "fsck"]).status == 0)
        // The store takes the next build as if nothing happened.
        try "FROM \(Self.base)\nRUN echo done > /done\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let next = try ws.mab(["build", ctx, "--platform", "linux/arm64"])
        #expect(next.status == 0, "\(next.stderr)")
    }

    @Test func userNamesResolveThroughTheStagesPasswdAndGroup() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "data\n".write(toFile: ctx + "/f.txt", atomically: true, encoding: .utf8)
        try """
            FROM \(Self.base)
            RUN echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd && echo 'staff:x:50:' >> /etc/group && mkdir -m 777 /out
            COPY --chown=nobody:staff f.txt /owned
            USER app:staff
            RUN id -u > /out/u && id -g > /out/g && chmod 666 /out/u /out/g
            USER nobody
            RUN id -u >> /out/u && id -g >> /out/g

            """.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try ws.mab(["build", ctx, "--platform", "linux/arm64", "--output", "type=oci-dir,dest=\(ws.path("out"))"])
        #expect(r.status == 0, "\(r.stderr)")
        let images = try layerBlobs(ws.path("out"))
        #expect(images.count == 1)
        let layers = try #require(images.first)
        #expect(layers.count == 5)
        let copied = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", layers[2], "--numeric-owner"]).stdout
        #expect(copied.contains(" 65534 ") && copied.contains(" 50 ") && copied.hasSuffix(" owned\n"), "\(copied)")
        #expect(try extract(layers[4], "out/u") == "1000\n65534\n")
        #expect(try extract(layers[4], "out/g") == "50\n65534\n")
        // The commands ran as those users for real: what they wrote is theirs in the layer.
        let written = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", layers[3], "--numeric-owner"]).stdout
        #expect(written.contains(" 1000   50 ") && written.contains("out/u\n"), "\(written)")
        // And the kernel checks their rights: nobody cannot write to /etc.
        try "FROM \(Self.base)\nUSER nobody\nRUN touch /etc/x\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let denied = try ws.mab(["build", ctx, "--platform", "linux/arm64"])
        #expect(denied.status == 1)
        #expect(denied.stderr.hasSuffix("[linux/arm64] RUN touch /etc/x exited with status 1\ntouch: /etc/x: Permission denied\n"), "\(denied.stderr)")

        try "FROM \(Self.base)\nUSER ghost\nRUN true\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let ghost = try ws.mab(["build", ctx, "--platform", "linux/amd64"])
        #expect(ghost.status == 1)
        #expect(ghost.stderr.hasSuffix("/Dockerfile:3:1: error: USER ghost: no user ghost in the stage's /etc/passwd\n"), "\(ghost.stderr)")
        // --chown resolves as BuildKit's file operations do: a name not found is 0, no error
        // (ghost:5 → 0:5, root:wheel → 0:0); a lone number is the group too.
        try "FROM \(Self.base)\nCOPY --chown=root:wheel f.txt /a\nCOPY --chown=ghost:5 f.txt /b\nCOPY --chown=1000 f.txt /c\nCOPY --chown=nobody f.txt /d\n"
            .write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let owners = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--output", "type=oci-dir,dest=\(ws.path("owners"))"])
        #expect(owners.status == 0, "\(owners.stderr)")
        let owned = try #require(try layerBlobs(ws.path("owners")).first).dropFirst().map {
            try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", $0, "--numeric-owner"]).stdout.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).prefix(2).joined(separator: ":")
        }
        #expect(owned == ["0:0", "0:5", "1000:1000", "65534:65534"])
    }

    @Test func aFailureOnOnePlatformStopsTheOtherAndIsTheErrorReported() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        // Both platforms build at once; arm64 fails while amd64 is still sleeping.
        try "FROM \(Self.base)\nRUN if [ \"$(uname -m)\" = aarch64 ]; then exit 3; fi; sleep 60\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64,linux/arm64"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("[linux/arm64] RUN if [ \"$(uname -m)\" = aarch64 ]; then exit 3; fi; sleep 60 exited with status 3"), "\(r.stderr)")
        #expect(!r.stderr.contains("interrupted"))
        #expect(!(try String(contentsOfFile: "/proc/mounts", encoding: .utf8)).contains(ws.home))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp") == [])
    }

    @Test func runHeredocsAsBuildKitRunsThem() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try """
            FROM \(Self.base)
            ENV GREETING=hi
            RUN <<EOF
            echo one > /one
            echo "$GREETING" >> /one
            EOF
            RUN <<-EOT cat > /two
            \thello
            \tEOT
            RUN <<'SCRIPT'
            #!/bin/sh
            echo "from $0" > /three
            SCRIPT
            RUN cat <<A > /four && cat <<B >> /four
            first
            A
            second
            B
            RUN cat /one /two /three /four > /all

            """.write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try ws.mab(["build", ctx, "--platform", "linux/arm64", "--output", "type=oci-dir,dest=\(ws.path("out"))"])
        #expect(r.status == 0, "\(r.stderr)")
        let last = try #require(try layerBlobs(ws.path("out")).first?.last)
        #expect(try extract(last, "all") == "one\nhi\nhello\nfrom /dev/pipes/SCRIPT\nfirst\nsecond\n")
    }

    @Test func copyFromAnImageTakesThePlatformsFiles() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "FROM scratch\nCOPY --from=\(Self.base) /etc/passwd /bin/busybox /out/\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let args = ["build", ctx, "--platform", "linux/amd64,linux/arm64", "--output", "type=oci-dir,dest=\(ws.path("out"))"]
        let r = try ws.mab(args)
        #expect(r.status == 0, "\(r.stderr)")
        let images = try layerBlobs(ws.path("out"))
        #expect(images.count == 2)
        for (layers, arch) in zip(images, ["amd64", "arm64"]) {
            let blob = try #require(layers.first)
            #expect(try extract(blob, "out/passwd") == String(contentsOfFile: Self.fixtures + "/\(arch)/etc/passwd", encoding: .utf8))
            // Each platform gets its own busybox binary (the two differ in size).
            let expected = try FileManager.default.attributesOfItem(atPath: Self.fixtures + "/\(arch)/bin/busybox")[.size] as? Int
            let listing = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", blob, "out/busybox"]).stdout
            #expect(listing.contains(" \(expected ?? -1) "), "\(listing)")
        }
        let again = try ws.mab(args)
        #expect(again.stderr.contains("(0 steps run, 2 cached)"), "\(again.stderr)")
    }

    @Test func failingRunReportsLinePlatformStatusAndOutput() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "FROM \(Self.base)\nRUN echo step one && echo oops >&2 && exit 7\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let r = try ws.mab(["build", ctx, "--platform", "linux/arm64"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("mab: error: \(ctx)/Dockerfile:2 [linux/arm64] RUN echo step one && echo oops >&2 && exit 7 exited with status 7\nstep one\noops\n"))
        #expect(try ws.mab(["store", "fsck"]).status == 0)
    }
}
