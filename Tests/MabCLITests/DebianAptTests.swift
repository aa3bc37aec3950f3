import Foundation
import Testing

/// The most common Dockerfile there is, end to end: a Debian bookworm base made with
/// debootstrap (`scripts/debian-rootfs.sh`, minbase, an empty resolv.conf as official
/// images have), `apt-get update && apt-get install` from Debian's mirror as root, then a
/// `useradd`ed USER with its own WORKDIR writing /tmp and $HOME; both platforms (arm64
/// under qemu-user).
struct DebianAptTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/fixtures/debian").path
    static let base = "localhost:5000/mab/debian:bookworm"

    static let recipe = """
        FROM \(base)
        RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
        RUN useradd --create-home --uid 1234 --shell /bin/bash app
        USER app
        WORKDIR /home/app/work
        RUN echo tmp > /tmp/from-user && echo home > "$HOME/from-user" && id > id.txt && echo "$HOME" > home.txt \\
            && curl --version | head -n1 | cut -d' ' -f1,2 > curl.txt && ls -ld /tmp | cut -c1-10 > tmp-mode.txt
        CMD ["curl", "--version"]

        """

    @Test(arguments: [("linux/amd64", "amd64"), ("linux/arm64", "arm64")])
    func aptInstallsAndAUserWritesTmpAndHome(_ platform: String, _ arch: String) throws {
        let rootfs = Self.fixtures + "/" + arch
        try #require(FileManager.default.isExecutableFile(atPath: rootfs + "/usr/bin/apt-get"), "run scripts/debian-rootfs.sh .build/fixtures/debian")
        let ws = try ImportInspectTests.Workspace()
        defer { ws.remove() }
        let imported = try ws.mab(["import", "\(platform)=\(rootfs)", "-t", Self.base])
        try #require(imported.status == 0, "\(imported.stderr)")
        let ctx = try ws.context(Self.recipe)
        let r = try ws.mab(["build", ctx, "--platform", platform, "--report", ws.path("report.json"), "--progress", "plain"])
        try #require(r.status == 0, "\(r.stderr.suffix(4000))")
        let report = ws.path("report.json")
        func built(_ member: String) throws -> String { try SandboxConfinementTests.built(member, report: report, home: ws.home) }

        #expect(try built("home/app/work/id.txt") == "uid=1234(app) gid=1234(app) groups=1234(app)\n")
        #expect(try built("home/app/work/home.txt") == "/home/app\n")
        #expect(try built("home/app/work/curl.txt") == "curl 7.88.1\n")
        #expect(try built("home/app/work/tmp-mode.txt") == "drwxrwxrwt\n")
        #expect(try built("tmp/from-user") == "tmp\n")
        #expect(try built("home/app/from-user") == "home\n")
        #expect(try built("etc/ssl/certs/ca-certificates.crt").contains("-----BEGIN CERTIFICATE-----"))
        #expect(try built("etc/passwd").hasSuffix("app:x:1234:1234::/home/app:/bin/bash\n"))

        // The user's files are the user's; the network files and apt's lists never reach a layer.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let image = try #require((json?["images"] as? [[String: Any]])?.first)
        let layers = try #require(image["layers"] as? [[String: Any]])
        #expect(layers.count == 5)
        let last = try #require(layers.last?["digest"] as? String).dropFirst(7)
        let listing = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tvf", ws.home + "/blobs/sha256/\(last)", "--numeric-owner"]).stdout
        let owners = listing.split(separator: "\n").map { line -> String in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            return "\(f[2]):\(f[3]) \(f.last ?? "")"
        }.sorted()
        #expect(owners == [
            "0:0 home/", "0:0 tmp/", "1234:1234 home/app/", "1234:1234 home/app/from-user", "1234:1234 home/app/work/",
            "1234:1234 home/app/work/curl.txt", "1234:1234 home/app/work/home.txt", "1234:1234 home/app/work/id.txt",
            "1234:1234 home/app/work/tmp-mode.txt", "1234:1234 tmp/from-user",
        ])
        let apt = try #require(layers.dropFirst().first?["digest"] as? String).dropFirst(7)
        let aptFiles = try MabProcess.run(executable: "/usr/bin/bsdtar", ["-tf", ws.home + "/blobs/sha256/\(apt)"]).stdout.split(separator: "\n")
        #expect(aptFiles.contains("usr/bin/curl"))
        #expect(!aptFiles.contains { $0.hasPrefix("etc/resolv.conf") || $0.hasPrefix("etc/hosts") || $0.hasPrefix("var/lib/apt/lists/deb.debian.org") })

        let configDigest = try #require((image["config"] as? [String: Any])?["digest"] as? String).dropFirst(7)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ws.home + "/blobs/sha256/\(configDigest)"))) as? [String: Any]
        let c = config?["config"] as? [String: Any]
        #expect(config?["architecture"] as? String == arch)
        #expect(c?["User"] as? String == "app")
        #expect(c?["WorkingDir"] as? String == "/home/app/work")
        #expect(c?["Cmd"] as? [String] == ["curl", "--version"])
        #expect(c?["Env"] as? [String] == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
    }
}
