import Foundation
import Testing

/// Push and pull against real registries on loopback, read back by skopeo.
@Suite(.serialized) struct RegistryTests {
    static func skopeo(_ args: [String]) throws -> MabProcess.Result {
        try MabProcess.run(executable: "/usr/bin/skopeo", args)
    }

    @Test func multiArchIndexUnderTwoTagsReadBySkopeo() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let amd = try ws.rootfs("amd", marker: "amd64")
        let arm = try ws.rootfs("arm", marker: "arm64")
        let ref1 = "\(registry.host)/mab/base:1.0", ref2 = "\(registry.host)/mab/base:latest"
        let r = try ws.mab(["import", "linux/amd64=\(amd)", "linux/arm64=\(arm)", "-t", ref1, "-t", ref2, "--push"])
        #expect(r.status == 0, "\(r.stderr)")
        let digest = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for ref in [ref1, ref2] {
            let raw = try Self.skopeo(["inspect", "--tls-verify=false", "--raw", "docker://\(ref)"])
            #expect(raw.status == 0, "\(raw.stderr)")
            let index = try JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as? [String: Any]
            let platforms = (index?["manifests"] as? [[String: Any]])?.compactMap { ($0["platform"] as? [String: Any])?["architecture"] as? String }
            #expect(platforms == ["amd64", "arm64"])
            for arch in ["amd64", "arm64"] {
                let one = try Self.skopeo(["inspect", "--tls-verify=false", "--override-arch", arch, "docker://\(ref)"])
                #expect(one.stdout.contains("\"Architecture\": \"\(arch)\""))
            }
        }
        // skopeo copies it back out; the digest survives the round trip.
        let copy = try Self.skopeo(["copy", "--all", "--src-tls-verify=false", "docker://\(ref1)", "oci:\(ws.path("back")):x"])
        #expect(copy.status == 0, "\(copy.stderr)")
        let back = try ws.mab(["inspect", "oci:\(ws.path("back")):x", "--format", "json"])
        #expect(back.stdout.contains("\"digest\" : \"\(digest)\""))
        // A second push of unchanged content uploads nothing.
        let again = try ws.mab(["push", ref1, ref1])
        #expect(again.status == 0)
        #expect(again.stderr.contains("— 0 uploaded (0 B), 4 already there, 0 mounted"))
    }

    @Test func pullWhatSkopeoPushedByPlatform() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let amd = try ws.rootfs("amd", marker: "amd64")
        let arm = try ws.rootfs("arm", marker: "arm64")
        _ = try ws.mab(["import", "linux/amd64=\(amd)", "linux/arm64=\(arm)", "-t", "src:1", "--output", "type=oci-dir,dest=\(ws.path("src"))"])
        let push = try Self.skopeo(["copy", "--all", "--dest-tls-verify=false", "oci:\(ws.path("src")):src:1", "docker://\(registry.host)/team/app:v1"])
        #expect(push.status == 0, "\(push.stderr)")
        let pulled = try ws.mab(["pull", "\(registry.host)/team/app:v1", "--home", ws.path("h2")])
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let arm64 = try ws.mab(["pull", "\(registry.host)/team/app:v1", "--platform", "arm64", "--home", ws.path("h3"), "--output", "type=oci-dir,dest=\(ws.path("arm-layout"))"])
        #expect(arm64.status == 0, "\(arm64.stderr)")
        let report = try ws.mab(["inspect", "oci:\(ws.path("arm-layout")):v1", "--home", ws.path("h3")])
        #expect(report.stdout.contains("linux/arm64"))
        #expect(!report.stdout.contains("linux/amd64"))
        let fsck = try ws.mab(["store", "fsck", "--home", ws.path("h3")])
        #expect(fsck.status == 0)
        let missing = try ws.mab(["pull", "\(registry.host)/team/nope:v1", "--home", ws.path("h3")])
        #expect(missing.status == 1)
        #expect(missing.stderr == "mab: error: \(registry.host)/team/nope:v1: manifest not found\n")
        let wrongPlatform = try ws.mab(["pull", "\(registry.host)/team/app:v1", "--platform", "linux/s390x", "--home", ws.path("h3")])
        #expect(wrongPlatform.stderr == "mab: error: no image for platform linux/s390x (available: linux/amd64, linux/arm64)\n")
    }

    @Test func basicAuthLoginPushAndRefusal() throws {
        let registry = try TestRegistry(auth: .basic(user: "ci", password: "s3cret-pw"))
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let env = ["DOCKER_CONFIG": ws.path("docker")]
        let rootfs = try ws.rootfs("r", marker: "amd64")
        let ref = "\(registry.host)/private/app:1"
        let anonymous = try ws.mab(["import", "linux/amd64=\(rootfs)", "-t", ref, "--push"], environment: env)
        #expect(anonymous.status == 1)
        #expect(anonymous.stderr.hasSuffix("mab: error: push \(registry.host)/private/app: unauthorized: authentication required (HTTP 401) — run 'mab login \(registry.host)'\n"))
        let bad = try MabProcess.run(["login", registry.host, "-u", "ci", "--password-stdin"], stdin: "wrong\n", environment: env.merging(["MAB_HOME": ws.home]) { $1 })
        #expect(bad.status == 1)
        #expect(!bad.stderr.contains("wrong"))
        let good = try MabProcess.run(["login", registry.host, "-u", "ci", "--password-stdin"], stdin: "s3cret-pw\n", environment: env.merging(["MAB_HOME": ws.home]) { $1 })
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "Login succeeded for ci at \(registry.host)\n")
        let config = try String(contentsOfFile: ws.path("docker/config.json"), encoding: .utf8)
        #expect(config.contains(Data("ci:s3cret-pw".utf8).base64EncodedString()))
        // The failed import kept the image in the store under its tag; it pushes now.
        let pushed = try ws.mab(["push", ref, ref], environment: env)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let imported = try ws.mab(["import", "linux/amd64=\(rootfs)", "-t", ref, "--push"], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(!imported.stderr.contains("s3cret"))
        let pulled = try ws.mab(["pull", ref, "--home", ws.path("h2")], environment: env)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let logout = try ws.mab(["logout", registry.host], environment: env)
        #expect(logout.stdout == "Removed credentials for \(registry.host)\n")
    }
}

extension RegistryTests {
    @Test func tokenAuthWithCachedScopedTokens() throws {
        let tokens = try TestTokenServer(user: "robot", password: "t0ken-pass")
        defer { tokens.stop() }
        let registry = try TestRegistry(auth: .token(realm: tokens.realm, certificate: tokens.certificate))
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let env = ["DOCKER_CONFIG": ws.path("docker")]
        let amd = try ws.rootfs("amd", marker: "amd64")
        let arm = try ws.rootfs("arm", marker: "arm64")
        let ref = "\(registry.host)/secure/app:2"
        let anonymous = try ws.mab(["import", "linux/amd64=\(amd)", "linux/arm64=\(arm)", "-t", ref, "--push"], environment: env)
        #expect(anonymous.status == 1)
        #expect(anonymous.stderr.contains("unauthorized"))
        #expect(anonymous.stderr.contains("run 'mab login \(registry.host)'"))
        let login = try MabProcess.run(["login", registry.host, "-u", "robot", "--password-stdin"], stdin: "t0ken-pass", environment: env.merging(["MAB_HOME": ws.home]) { $1 })
        #expect(login.status == 0, "\(login.stderr)")
        let pushed = try ws.mab(["push", ref, ref], environment: env)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let digest = pushed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let pulled = try ws.mab(["pull", ref, "--platform", "linux/arm64", "--home", ws.path("h2")], environment: env)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        // skopeo with the same credentials reads what mab pushed.
        let raw = try MabProcess.run(executable: "/usr/bin/skopeo", ["inspect", "--raw", "--tls-verify=false", "--creds", "robot:t0ken-pass", "docker://\(ref)"])
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stdout.contains("\"arm64\""))
        #expect(!digest.isEmpty)
    }
}

extension RegistryTests {
    @Test func inspectReadsRegistryReferencesWithoutLayers() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let ref = "\(registry.host)/look/img:1"
        let pushed = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("a", marker: "amd64"))", "linux/arm64=\(try ws.rootfs("b", marker: "arm64"))", "-t", ref, "--push"])
        #expect(pushed.status == 0)
        let home = ws.path("fresh")
        let text = try ws.mab(["inspect", ref, "--home", home])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("\(ref)\nindex \(pushed.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"))
        #expect(text.stdout.contains("linux/arm64"))
        // Only JSON blobs were fetched: index, 2 manifests, 2 configs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/blobs/sha256").count == 5)
    }
}

extension RegistryTests {
    @Test func secondRepositoryGetsBlobsByCrossRepositoryMount() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let first = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("a", marker: "amd64"))", "linux/arm64=\(try ws.rootfs("b", marker: "arm64"))", "-t", "\(registry.host)/team/one:1", "--push"])
        #expect(first.stderr.contains("— 4 uploaded"))
        let second = try ws.mab(["push", "\(registry.host)/team/one:1", "\(registry.host)/other/two:1"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("— 0 uploaded (0 B), 0 already there, 4 mounted"))
        let raw = try Self.skopeo(["inspect", "--tls-verify=false", "--raw", "docker://\(registry.host)/other/two:1"])
        #expect(raw.status == 0)
    }
}

extension RegistryTests {
    @Test func chunkedUploadsWithContentRange() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let ref = "\(registry.host)/chunked/img:1"
        let r = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("a", marker: "amd64"))", "-t", ref, "--push"], environment: ["MAB_REGISTRY_CHUNK_SIZE": "100"])
        #expect(r.status == 0, "\(r.stderr)")
        let copy = try Self.skopeo(["copy", "--src-tls-verify=false", "docker://\(ref)", "oci:\(ws.path("back")):x"])
        #expect(copy.status == 0, "\(copy.stderr)")
        let back = try ws.mab(["inspect", "oci:\(ws.path("back")):x", "--format", "json"])
        #expect(back.stdout.contains(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

extension RegistryTests {
    @Test func credentialHelpersFromDockerConfig() throws {
        let registry = try TestRegistry(auth: .basic(user: "helper-user", password: "from-helper"))
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        // A docker-credential helper on PATH, as docker-credential-pass or -secretservice would be.
        let bin = ws.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let helper = bin + "/docker-credential-mabtest"
        try """
            #!/bin/sh
            read server
            [ "$1" = get ] && [ "$server" = "\(registry.host)" ] || exit 1
            printf '{"ServerURL":"%s","Username":"helper-user","Secret":"from-helper"}' "$server"

            """.write(toFile: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
        try FileManager.default.createDirectory(atPath: ws.path("docker"), withIntermediateDirectories: true)
        for (name, config) in [("credHelpers", "{\"credHelpers\": {\"\(registry.host)\": \"mabtest\"}}"), ("credsStore", "{\"credsStore\": \"mabtest\"}")] {
            try config.write(toFile: ws.path("docker/config.json"), atomically: true, encoding: .utf8)
            let env = ["DOCKER_CONFIG": ws.path("docker"), "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
            let r = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("r-\(name)", marker: "amd64"))", "-t", "\(registry.host)/helped/\(name.lowercased()):1", "--push"], environment: env)
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(!r.stderr.contains("from-helper"))
        }
    }
}

extension RegistryTests {
    @Test func planPinsBaseImagesPulledIntoTheStore() throws {
        let registry = try TestRegistry()
        defer { registry.stop() }
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let ref = "\(registry.host)/base/img:1"
        let pushed = try ws.mab(["import", "linux/amd64=\(try ws.rootfs("a", marker: "amd64"))", "linux/arm64=\(try ws.rootfs("b", marker: "arm64"))", "-t", ref, "--push", "--home", ws.path("h1")])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let ctx = ws.path("ctx")
        try FileManager.default.createDirectory(atPath: ctx, withIntermediateDirectories: true)
        try "FROM \(ref)\nRUN true\n".write(toFile: ctx + "/Dockerfile", atomically: true, encoding: .utf8)
        let before = try ws.mab(["plan", ctx, "--platform", "linux/arm64", "--format", "json"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(before.stdout.contains("\"image:\(ref)\""))
        #expect(try ws.mab(["pull", ref]).status == 0)
        let after = try ws.mab(["plan", ctx, "--platform", "linux/arm64", "--format", "json"])
        #expect(after.stdout.contains("\"image:\(ref)@sha256:"))
        #expect(before.stdout != after.stdout)
    }
}
