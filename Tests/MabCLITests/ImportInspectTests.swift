import Foundation
import Testing

/// `mab import`, `mab inspect` and `mab store` through the real binary, checked with
/// independent tools (skopeo, umoci, bsdtar).
@Suite(.serialized) struct ImportInspectTests {
    struct Workspace {
        let dir: URL
        var home: String { dir.appendingPathComponent("home").path }
        func path(_ rel: String) -> String { dir.appendingPathComponent(rel).path }

        init() throws { dir = try MabProcess.temporaryDirectory() }

        func remove() { try? FileManager.default.removeItem(at: dir) }

        /// A small root filesystem with fixed modes and times.
        func rootfs(_ name: String, marker: String) throws -> String {
            let root = path(name)
            let fm = FileManager.default
            try fm.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
            try "#!/bin/sh\necho \(marker)\n".write(toFile: root + "/bin/hello", atomically: false, encoding: .utf8)
            try "root:x:0:0:root:/root:/bin/sh\n".write(toFile: root + "/etc/passwd", atomically: false, encoding: .utf8)
            try fm.createSymbolicLink(atPath: root + "/bin/sh", withDestinationPath: "hello")
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/bin/hello")
            try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: root + "/etc/passwd")
            try touch(root, 1_700_000_000)
            return root
        }

        /// Sets every mtime in the tree, symlinks included (`touch -h`).
        func touch(_ root: String, _ seconds: Int) throws {
            let paths = (FileManager.default.subpaths(atPath: root) ?? []).sorted().reversed().map { root + "/" + $0 } + [root]
            let r = try MabProcess.run(executable: "/usr/bin/touch", ["-h", "-d", "@\(seconds)"] + paths)
            guard r.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        }

        /// A build context directory `name` holding `recipe` as its Dockerfile; returns its path.
        func context(_ recipe: String, name: String = "ctx") throws -> String {
            let dir = path(name)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try recipe.write(toFile: dir + "/Dockerfile", atomically: true, encoding: .utf8)
            return dir
        }

        func mab(_ args: [String], environment: [String: String] = [:]) throws -> MabProcess.Result {
            try MabProcess.run(args, environment: ["MAB_HOME": home].merging(environment) { $1 })
        }
    }

    static func tool(_ path: String, _ args: [String]) throws -> MabProcess.Result {
        try MabProcess.run(executable: path, args)
    }

    @Test func importIsDeterministicAndPinned() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let amd = try ws.rootfs("amd64", marker: "amd64")
        let arm = try ws.rootfs("arm64", marker: "arm64")
        let args = ["import", "linux/amd64=\(amd)", "linux/arm64=\(arm)", "-t", "test/base:1"]
        let first = try ws.mab(args)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try ws.mab(args + ["--home", ws.path("home2")])
        #expect(again.stdout == first.stdout)
        #expect(first.stdout == "sha256:115db62bcdafa79387c5e674dc33249d954e7416bd951dfad2f5d18196daedcc\n")

        // With SOURCE_DATE_EPOCH, touching every file changes nothing.
        let sde = ["SOURCE_DATE_EPOCH": "1600000000"]
        let clamped = try ws.mab(args, environment: sde)
        try ws.touch(amd, 1_800_000_000)
        try ws.touch(arm, 1_800_000_000)
        let touched = try ws.mab(args, environment: sde)
        #expect(clamped.status == 0 && touched.status == 0)
        #expect(touched.stdout == clamped.stdout)
        #expect(clamped.stdout == "sha256:8e8d83236350031f54420fadda7c06dbe84d815045872a44f59ddd9fe1ea780d\n")
        let unclamped = try ws.mab(args)
        #expect(unclamped.stdout != first.stdout)
    }
}

extension ImportInspectTests {
    func imported(_ ws: Workspace, platforms: [String] = ["linux/amd64", "linux/arm64"], outputs: [String]) throws -> String {
        var args = ["import"]
        for p in platforms {
            args.append("\(p)=\(try ws.rootfs(p.replacingOccurrences(of: "/", with: "-"), marker: p))")
        }
        args += ["-t", "test/base:1"]
        for o in outputs { args += ["--output", o] }
        let r = try ws.mab(args)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func skopeoReadsEveryOutputFormat() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let root = try imported(ws, outputs: ["type=oci-dir,dest=\(ws.path("layout"))", "type=oci,dest=\(ws.path("image.tar"))"])
        for (ref, arch) in [("oci:\(ws.path("layout")):test/base:1", "arm64"), ("oci-archive:\(ws.path("image.tar"))", "amd64")] {
            let r = try Self.tool("/usr/bin/skopeo", ["--override-arch", arch, "inspect", ref])
            #expect(r.status == 0, "\(ref): \(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect(json?["Architecture"] as? String == arch)
            #expect(json?["Digest"] as? String == root)
        }
        // A copy through skopeo keeps every digest: the formats are exact.
        let copy = try Self.tool("/usr/bin/skopeo", ["copy", "--all", "oci:\(ws.path("layout")):test/base:1", "oci:\(ws.path("copy")):again"])
        #expect(copy.status == 0, "\(copy.stderr)")
        let back = try ws.mab(["inspect", "oci:\(ws.path("copy")):again", "--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as? [String: Any]
        #expect((report?["root"] as? [String: Any])?["digest"] as? String == root)

        // docker archive: one platform; skopeo and umoci (via a skopeo copy) read it.
        let ws2 = try Workspace()
        defer { ws2.remove() }
        _ = try imported(ws2, platforms: ["linux/arm64"], outputs: ["type=docker,dest=\(ws2.path("docker.tar"))", "type=oci-dir,dest=\(ws2.path("single"))"])
        let d = try Self.tool("/usr/bin/skopeo", ["inspect", "--override-arch", "arm64", "docker-archive:\(ws2.path("docker.tar"))"])
        #expect(d.status == 0, "\(d.stderr)")
        #expect(d.stdout.contains("\"Architecture\": \"arm64\""))
        let umoci = try Self.tool("/usr/bin/umoci", ["stat", "--image", "\(ws2.path("single")):test/base:1"])
        #expect(umoci.status == 0, "\(umoci.stderr)")
        #expect(umoci.stdout.contains("mab import"))
    }

    @Test func inspectShowsEveryPlatformAndLayer() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let root = try imported(ws, outputs: ["type=oci-dir,dest=\(ws.path("layout"))"])
        let text = try ws.mab(["inspect", "oci:\(ws.path("layout")):test/base:1"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("oci:\(ws.path("layout")):test/base:1\nindex \(root) (application/vnd.oci.image.index.v1+json, "))
        #expect(text.stdout.contains("\nlinux/amd64\n  manifest  sha256:"))
        #expect(text.stdout.contains("\nlinux/arm64\n  manifest  sha256:"))
        #expect(text.stdout.contains("application/vnd.oci.image.layer.v1.tar+gzip  mab import"))
        let store = try ws.mab(["inspect", "test/base:1", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(store.stdout.utf8)) as? [String: Any]
        let images = json?["images"] as? [[String: Any]]
        #expect(images?.count == 2)
        #expect((images?.first?["layers"] as? [[String: Any]])?.first?["createdBy"] as? String == "mab import")
    }

    @Test func badImagesAreClearErrors() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        _ = try imported(ws, platforms: ["linux/amd64"], outputs: ["type=oci-dir,dest=\(ws.path("layout"))"])
        let layout = ws.path("layout")
        let blobs = try FileManager.default.contentsOfDirectory(atPath: layout + "/blobs/sha256").sorted()
        // Find the config blob (small JSON with "rootfs") and corrupt it.
        let config = try #require(blobs.first { name in
            (try? String(contentsOfFile: layout + "/blobs/sha256/" + name, encoding: .utf8))?.contains("\"rootfs\"") == true
        })
        try "{\"tampered\": true}".write(toFile: layout + "/blobs/sha256/" + config, atomically: false, encoding: .utf8)
        let corrupt = try ws.mab(["inspect", "oci:\(layout)"])
        #expect(corrupt.status == 1)
        #expect(corrupt.stderr.hasPrefix("mab: error: blob sha256:\(config) in oci:\(layout): content digest is sha256:"))
        try FileManager.default.removeItem(atPath: layout + "/blobs/sha256/" + config)
        let missing = try ws.mab(["inspect", "oci:\(layout)"])
        #expect(missing.stderr == "mab: error: blob sha256:\(config) not found in oci:\(layout)\n")
        try "{ not json".write(toFile: layout + "/index.json", atomically: false, encoding: .utf8)
        let invalid = try ws.mab(["inspect", "oci:\(layout)"])
        #expect(invalid.stderr.hasPrefix("mab: error: \(layout) index.json: invalid JSON: "))
        let unknownTag = try ws.mab(["inspect", "nope:latest"])
        #expect(unknownTag.stderr == "mab: error: tag \"nope:latest\" not found in content store \(ws.home)\n")
    }

    @Test func badRootFilesystemsLeaveNothingBehind() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try Data([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF] + Array(repeating: 0x41, count: 64)).write(to: URL(fileURLWithPath: ws.path("broken.tar.gz")))
        let r = try ws.mab(["import", "linux/amd64=\(ws.path("broken.tar.gz"))", "-t", "x:1"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("mab: error: \(ws.path("broken.tar.gz")): corrupt layer: "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/blobs/sha256") == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.home + "/tmp") == [])
        let badPlatform = try ws.mab(["import", "windows/amd64=\(ws.path("x"))", "-t", "x:1"])
        #expect(badPlatform.stderr == "mab: error: invalid platform \"windows/amd64\": expected OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64\n")
        let push = try ws.mab(["import", "linux/amd64=\(ws.path("x"))", "-t", "localhost:5000/X:1", "--push"])
        #expect(push.status == 1)
        #expect(push.stderr == "mab: error: invalid reference \"localhost:5000/X:1\": repository \"X\" must be lowercase\n")
        let noTag = try ws.mab(["import", "linux/amd64=\(ws.path("x"))", "--push"])
        #expect(noTag.stderr == "mab: error: --push needs -t REGISTRY/REPOSITORY:TAG\n")
        let dockerMulti = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("a", marker: "a"))", "linux/arm64=\(try ws.rootfs("b", marker: "b"))", "--output", "type=docker,dest=\(ws.path("d.tar"))"])
        #expect(dockerMulti.stderr.hasSuffix("mab: error: type=docker holds one platform (docker load cannot take an index); import one platform, or use type=oci\n"))
        #expect(!FileManager.default.fileExists(atPath: ws.path("d.tar")))
    }

    @Test func storeFsckFindsCorruptionAndPruneKeepsTagged() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        _ = try imported(ws, outputs: [])
        let clean = try ws.mab(["store", "fsck"])
        #expect(clean.status == 0)
        #expect(clean.stdout.hasSuffix("checked: ok\n"))
        // An untagged image is pruned; the tagged one stays complete.
        let other = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("other", marker: "other"))", "--output", "type=oci-dir,dest=\(ws.path("o"))"])
        #expect(other.status == 0)
        let prune = try ws.mab(["store", "prune"])
        #expect(prune.stdout.hasPrefix("removed 3 blobs"))
        #expect(try ws.mab(["store", "fsck"]).status == 0)
        let blobs = ws.home + "/blobs/sha256/"
        let victim = try #require(try FileManager.default.contentsOfDirectory(atPath: blobs).sorted().first)
        try "garbage".write(toFile: blobs + victim, atomically: false, encoding: .utf8)
        let dirty = try ws.mab(["store", "fsck"])
        #expect(dirty.status == 1)
        #expect(dirty.stderr.contains("mab: corrupt blob sha256:\(victim): content does not match its name"))
    }

    @Test func realBusyboxForBothPlatforms() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/fixtures/busybox").path
        try #require(FileManager.default.fileExists(atPath: fixtures + "/arm64/bin/busybox"), "run scripts/busybox-rootfs.sh (scripts/test.sh does)")
        let ws = try Workspace()
        defer { ws.remove() }
        let r = try ws.mab(
            ["import", "linux/amd64=\(fixtures)/amd64", "linux/arm64=\(fixtures)/arm64", "-t", "mab/busybox:test", "--output", "type=oci-dir,dest=\(ws.path("bb"))"],
            environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(r.status == 0, "\(r.stderr)")
        let again = try ws.mab(
            ["import", "linux/amd64=\(fixtures)/amd64", "linux/arm64=\(fixtures)/arm64", "-t", "mab/busybox:test2"],
            environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(again.stdout == r.stdout)
        let sk = try Self.tool("/usr/bin/skopeo", ["--override-arch", "arm64", "inspect", "oci:\(ws.path("bb")):mab/busybox:test"])
        #expect(sk.stdout.contains("\"Architecture\": \"arm64\""))
        // The layer holds busybox and its applet links, as bsdtar sees them.
        let layout = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.path("bb/index.json")))) as? [String: Any]
        #expect((layout?["manifests"] as? [[String: Any]])?.count == 1)
    }
}
