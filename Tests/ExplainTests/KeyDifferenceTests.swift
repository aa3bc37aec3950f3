import Testing

@testable import Explain

/// The first input that changed, in the words a miss is explained with.
struct KeyDifferenceTests {
    func first(_ before: [String: [String]], _ now: [String: [String]], entries: [String: [String: String]] = [:], entriesBefore: [String: [String: String]] = [:]) -> String? {
        KeyDifference.first(now: now, entries: { entries[$0] }, before: before, entriesBefore: { entriesBefore[$0] })
    }

    @Test func baseImages() {
        let a = "sha256:" + String(repeating: "a", count: 64), b = "sha256:" + String(repeating: "b", count: 64)
        #expect(first(["image": ["r/x:1", a], "platform": ["linux/amd64"]], ["image": ["r/x:1", b], "platform": ["linux/amd64"]])
            == "base image digest changed (tag re-pushed): sha256:aaaaaaaaaa… → sha256:bbbbbbbbbb…")
        #expect(first(["image": ["r/x:1", a]], ["image": ["r/x:2", a]]) == "base image changed: r/x:1 → r/x:2")
        #expect(first(["image": ["r/x:1", a]], ["image": ["r/x:1"]]) == "base image r/x:1 is not in the store (the build pulls it, then its digest decides)")
        #expect(first(["image": ["r/x:1", a]], ["scratch": []]) == "the base changed: image r/x:1 → scratch")
        #expect(first(["stage": ["build", "k1"]], ["stage": ["build", "k2"]]) == "stage build changed (a step of it missed)")
    }

    @Test func argsBeforeTheInstruction() {
        let before = ["parent": ["p"], "instruction": ["RUN echo 1.2"], "args": ["A=x", "VERSION=1.2"], "inputs": []]
        let now = ["parent": ["p"], "instruction": ["RUN echo 1.3"], "args": ["A=x", "VERSION=1.3"], "inputs": []]
        #expect(first(before, now) == "build-arg VERSION changed 1.2 → 1.3")
        #expect(first(before, now.merging(["args": ["A=x", "VERSION=1.2", "Z=1"]]) { $1 }) == "build-arg Z=1 is new")
        #expect(first(before, now.merging(["args": ["A=x", "VERSION=1.2"]]) { $1 }) == "instruction changed: `RUN echo 1.2` → `RUN echo 1.3`")
        #expect(first(before, before.merging(["parent": ["q"]]) { $1 }) == nil, "only the parent: the caller says the parent missed")
    }

    @Test func contextFilesByName() {
        let d1 = "sha256:" + String(repeating: "1", count: 64), d2 = "sha256:" + String(repeating: "2", count: 64)
        let before = ["inputs": ["context:src@sha256:old"]], now = ["inputs": ["context:src@sha256:new"]]
        let eb = ["context:src@sha256:old": ["src": "dir 755", "src/a.go": d1, "src/main.go": d1]]
        #expect(first(before, now, entries: ["context:src@sha256:new": ["src": "dir 755", "src/a.go": d1, "src/main.go": d2]], entriesBefore: eb)
            == "src/main.go changed (sha256:1111111111… → sha256:2222222222…)")
        #expect(first(before, now, entries: ["context:src@sha256:new": ["src": "dir 755", "src/a.go": d1]], entriesBefore: eb) == "src/main.go removed")
        #expect(first(before, now, entries: ["context:src@sha256:new": ["src": "dir 700", "src/a.go": d1, "src/main.go": d1]], entriesBefore: eb)
            == "src/ mode changed 755 → 700")
        #expect(first(["inputs": ["context:a@x"]], ["inputs": ["context:a@x", "context:b@y"]]) == "it reads context b now")
        #expect(first(["inputs": ["heredoc:EOF:one"]], ["inputs": ["heredoc:EOF:two"]]) == "heredoc EOF changed")
    }
}
