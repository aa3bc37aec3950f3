import Foundation
import Testing

/// `mab diff` on images built here: what differs is named file by file with its likely
/// cause, what is stable is never listed, whiteouts are applied, bad input exits 2.
struct DiffCommandTests {
    @Test func twoBuildsOfAnUnreproducibleRecipe() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN date > /stamp && cat /proc/sys/kernel/random/uuid > /id && echo stable > /same && rm /bin/ls\n")
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        for tag in ["one", "two"] {
            let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "--no-cache", "-t", tag], environment: env)
            try #require(r.status == 0, "\(r.stderr)")
            if tag == "one" { Thread.sleep(forTimeInterval: 1.1) }
        }
        let d = try ws.mab(["diff", "one", "two"])
        #expect(d.status == 1, "\(d.stderr)")
        #expect(d.stdout.hasPrefix("A: one\nB: two\n\nlinux/amd64: different\n"), "\(d.stdout)")
        #expect(d.stdout.contains("  files: 0 added, 0 removed, 2 changed\n"), "\(d.stdout)")
        // (Two uuids may share their first digits: the byte the difference starts at varies.)
        #expect(d.stdout.contains("    ~ /id\n        content: at byte "))
        #expect(d.stdout.contains("        likely: a random value written by the build (uuid, build id): derive it from the sources or make it at run time\n"))
        #expect(d.stdout.contains("    ~ /stamp\n        content: at byte "))
        #expect(d.stdout.contains("        likely: a timestamp written by the build (date, build time): write $SOURCE_DATE_EPOCH instead of the clock\n"))
        #expect(!d.stdout.contains("/same") && !d.stdout.contains("/bin/ls"), "stable files are not listed")
        #expect(d.stdout.contains("  layer 1   "), "\(d.stdout)")

        // Against its base: the whiteout of /bin/ls is applied, the new files are added.
        let base = try ws.mab(["diff", BuildTests.base, "one", "--platform", "linux/amd64"])
        #expect(base.status == 1)
        #expect(base.stdout.contains("    - /bin/ls\n") && base.stdout.contains("    + /stamp\n") && base.stdout.contains("    + /same\n"), "\(base.stdout)")

        // JSON and markdown carry the same.
        let json = try ws.mab(["diff", "one", "two", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["identical"] as? Bool == false)
        let platform = try #require((object["platforms"] as? [[String: Any]])?.first)
        #expect((platform["files"] as? [[String: Any]])?.map { $0["path"] as? String } == ["/id", "/stamp"])
        let md = try ws.mab(["diff", "one", "two", "--format", "markdown"])
        #expect(md.stdout.hasPrefix("## mab diff: different\n\n- A: `one`\n- B: `two`\n\n### linux/amd64: different\n"))
        #expect(md.stdout.contains("| `/stamp` | content: at byte "))

        // The same image: exit 0.
        let same = try ws.mab(["diff", "one", "one"])
        #expect(same.status == 0 && same.stdout.contains("linux/amd64: same\n"), "\(same.stdout)")
    }

    @Test func timestampsCanBeLeftOut() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        // No SOURCE_DATE_EPOCH: the file times and the creation time differ, nothing else.
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN echo stable > /same\n")
        for tag in ["one", "two"] {
            let r = try ws.mab(["build", ctx, "--platform", "linux/arm64", "--no-cache", "-t", tag])
            try #require(r.status == 0, "\(r.stderr)")
            Thread.sleep(forTimeInterval: 1.1)
        }
        let d = try ws.mab(["diff", "one", "two"])
        #expect(d.status == 1)
        #expect(d.stdout.contains("    ~ /same\n        mtime: "), "\(d.stdout)")
        #expect(d.stdout.contains("        likely: only the modification time differs: set SOURCE_DATE_EPOCH (mab clamps file times to it)\n"))
        #expect(d.stdout.contains("  likely: the image's creation times differ: set SOURCE_DATE_EPOCH\n"))
        let ignoring = try ws.mab(["diff", "one", "two", "--ignore-timestamps"])
        #expect(ignoring.status == 0, "\(ignoring.stdout)")
        #expect(ignoring.stdout.contains("linux/arm64: same\n"))
    }

    @Test func badInputExitsTwo() throws {
        let ws = try BuildTests().workspace()
        defer { ws.remove() }
        let missing = try ws.mab(["diff", "nope:1", BuildTests.base])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("mab: error: "), "\(missing.stderr)")
        let ctx = try ws.context("FROM \(BuildTests.base)\nRUN true\n")
        let r = try ws.mab(["build", ctx, "--platform", "linux/amd64", "-t", "amd"])
        try #require(r.status == 0, "\(r.stderr)")
        let platform = try ws.mab(["diff", "amd", BuildTests.base, "--platform", "linux/arm64"])
        #expect(platform.status == 2)
        #expect(platform.stderr == "mab: error: amd has no linux/arm64 image (it has linux/amd64)\n", "\(platform.stderr)")
        try Data("not a tar".utf8).write(to: URL(fileURLWithPath: ws.path("bad.tar")))
        let archive = try ws.mab(["diff", "oci-archive:\(ws.path("bad.tar"))", "amd"])
        #expect(archive.status == 2 && archive.stderr.hasPrefix("mab: error: "), "\(archive.stderr)")
    }
}
