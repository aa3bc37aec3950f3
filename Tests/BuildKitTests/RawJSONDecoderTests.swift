import BuildKit
import Foundation
import OCI
import Plan
import Testing

/// The rawjson decoder on real buildctl v0.26.3 output.
struct RawJSONDecoderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/buildctl").path

    static func events(_ name: String, platforms: [Platform]) throws -> (lines: [String], decoder: RawJSONDecoder) {
        var decoder = RawJSONDecoder(node: "n", platforms: platforms)
        var lines: [String] = []
        for line in try String(contentsOfFile: fixtures + "/\(name)/progress.rawjson.txt", encoding: .utf8).split(separator: "\n") {
            for e in decoder.feed(String(line)) {
                let status: String
                switch e.status {
                case .started: status = "started"
                case .cached: status = "cached"
                case .output(let text): status = "output " + text
                case .done: status = "done"
                case .failed(let text): status = "failed " + text
                case .canceled: status = "canceled"
                }
                lines.append("\(e.label) \(e.instruction.prefix(24)): \(status)")
            }
        }
        return (lines, decoder)
    }

    @Test func onePlatformTwoStages() throws {
        let (lines, decoder) = try Self.events("a", platforms: [.linuxARM64])
        #expect(lines == [
            "[probe linux/arm64 1/2] FROM localhost:5000/bbox: started",
            "[probe linux/arm64 1/2] FROM localhost:5000/bbox: done",
            "[probe linux/arm64 2/2] RUN uname -m > /arch: started",
            "[probe linux/arm64 2/2] RUN uname -m > /arch: done",
            "[stage-1 linux/arm64 1/1] COPY --from=probe /arch : started",
            "[stage-1 linux/arm64 1/1] COPY --from=probe /arch : done",
        ])
        #expect(decoder.executedSteps == 3)
        #expect(decoder.warnings == ["InvalidBaseImagePlatform: Base image localhost:5000/bbox:multi was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build (line 1)"])
    }

    @Test func twoPlatformsNameTheirSteps() throws {
        let (lines, decoder) = try Self.events("b", platforms: [.linuxAMD64, .linuxARM64])
        #expect(Set(lines.map { String($0.prefix { $0 != "]" }) + "]" }) == [
            "[probe linux/amd64 1/2]", "[probe linux/amd64 2/2]", "[stage-1 linux/amd64 1/1]",
            "[probe linux/arm64 1/2]", "[probe linux/arm64 2/2]", "[stage-1 linux/arm64 1/1]",
        ])
        #expect(lines.filter { $0.hasSuffix(": done") }.count == 6)
        #expect(decoder.executedSteps == 6 && decoder.cachedSteps == 0)
    }

    @Test func aFailingRunShowsItsLogAndError() throws {
        let (lines, decoder) = try Self.events("d", platforms: [.linuxAMD64])
        #expect(lines.contains { $0.hasPrefix("[stage-0 linux/amd64 2/2] RUN echo \"about to fail\"") && $0.hasSuffix("output about to fail") })
        #expect(lines.last?.contains(": failed process \"/bin/sh -c echo \\\"about to fail\\\" && exit 1\" did not complete successfully: exit code: 1") == true, "\(lines)")
        #expect(decoder.lastError?.error == "process \"/bin/sh -c echo \\\"about to fail\\\" && exit 1\" did not complete successfully: exit code: 1")
    }

    /// A parse error is no vertex's: buildctl prints it as text after the JSON (the
    /// runner keeps those lines for the failure message).
    @Test func aSyntaxErrorIsNoStep() throws {
        let (lines, decoder) = try Self.events("e", platforms: [.linuxAMD64])
        #expect(lines.isEmpty)
        #expect(decoder.lastError == nil)
    }

    @Test(arguments: [
        ("[linux/arm64 probe 2/2] RUN x", "linux/arm64", "probe", 2, 2, "RUN x"),
        ("[stage-1 1/1] COPY a b", nil, "stage-1", 1, 1, "COPY a b"),
        ("[1/3] FROM scratch", nil, nil, 1, 3, "FROM scratch"),
    ] as [(String, String?, String?, Int, Int, String)])
    func vertexNames(_ text: String, _ platform: String?, _ stage: String?, _ n: Int, _ m: Int, _ instruction: String) throws {
        let v = try #require(VertexName(text))
        #expect(v.platform?.description == platform && v.stage == stage && v.step == n && v.steps == m && v.instruction == instruction)
    }

    @Test(arguments: ["[internal] load build definition from Dockerfile", "[linux/amd64 internal] load metadata for x", "exporting to oci image format", "[0/2] x", "[3/2] x"])
    func notSteps(_ text: String) { #expect(VertexName(text) == nil) }
}
