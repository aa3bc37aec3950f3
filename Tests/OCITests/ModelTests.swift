import Foundation
import Testing

@testable import OCI

@Suite struct ModelTests {
    @Test(arguments: [
        ("linux/amd64", "linux/amd64"), ("amd64", "linux/amd64"), ("x86_64", "linux/amd64"),
        ("linux/arm64", "linux/arm64"), ("linux/arm64/v8", "linux/arm64"), ("arm64", "linux/arm64"),
        ("aarch64", "linux/arm64"), ("LINUX/AARCH64", "linux/arm64"), ("linux/arm/v7", "linux/arm/v7"),
    ])
    func platformsNormalise(_ input: String, _ expected: String) throws {
        #expect(try Platform(parsing: input).description == expected)
    }

    @Test(arguments: ["", "linux", "windows/amd64", "linux/sparc", "linux//v8", "a/b/c/d"])
    func badPlatformsAreRejected(_ input: String) {
        #expect(throws: OCIError.invalidPlatform(input)) { try Platform(parsing: input) }
    }

    @Test func platformMatchingIsVariantAware() throws {
        let arm64 = try Platform(parsing: "arm64")
        #expect(arm64.matches(Platform(architecture: "arm64", variant: "v8")))
        #expect(arm64.matches(Platform(architecture: "arm64")))
        #expect(!arm64.matches(Platform(architecture: "arm64", variant: "v9")))
        #expect(!arm64.matches(.linuxAMD64))
        #expect(try Platform(parsing: "linux/arm/v7").matches(Platform(architecture: "arm")))
        // Written without a variant, like BuildKit v0.26.
        #expect(try CanonicalJSON.encode(try Platform(parsing: "linux/arm64/v8")) == Array(#"{"architecture":"arm64","os":"linux"}"#.utf8))
    }

    @Test func digestsParseStrictly() throws {
        let hex = String(repeating: "ab", count: 32)
        #expect(try Digest(parsing: "sha256:" + hex).hex == hex)
        for bad in ["sha256:" + hex.uppercased(), "sha512:" + hex, "sha256:abc", hex, "sha256:" + hex + "0"] {
            #expect(throws: OCIError.invalidDigest(bad)) { try Digest(parsing: bad) }
        }
        #expect(Digest.of(Array("abc".utf8)).description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.of([UInt8]()).description == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func canonicalJSONIsSortedCompactAndUnescaped() throws {
        let config = ImageConfig(
            platform: .linuxARM64, rootfs: RootFS(diffIDs: [Digest.of([UInt8]())]),
            config: ContainerConfig(env: ["PATH=/usr/bin", "Q=\"a\\b\"\n<&>"]), created: "2023-11-14T22:13:20Z",
            history: [HistoryEntry(created: "2023-11-14T22:13:20Z", createdBy: "mab import")])
        let text = String(decoding: try CanonicalJSON.encode(config), as: UTF8.self)
        #expect(text == #"{"architecture":"arm64","config":{"Env":["PATH=/usr/bin","Q=\"a\\b\"\n<&>"]},"created":"2023-11-14T22:13:20Z","history":[{"created":"2023-11-14T22:13:20Z","created_by":"mab import"}],"os":"linux","rootfs":{"diff_ids":["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],"type":"layers"}}"#)
        // Round trip through Foundation's decoder.
        let back = try JSONDecoder().decode(ImageConfig.self, from: Data(text.utf8))
        #expect(back == config)
        #expect(Timestamp.rfc3339(1_700_000_000) == "2023-11-14T22:13:20Z")
        #expect(Timestamp.rfc3339(0) == "1970-01-01T00:00:00Z")
    }

    @Test func dockerAndOCIMediaTypesAreRead() throws {
        let json = #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0}]}"#
        let m = try ImageGraph.decode(ImageManifest.self, Array(json.utf8), what: "m")
        #expect(MediaType.isManifest(m.mediaType!) && MediaType.isConfig(m.config.mediaType) && MediaType.isLayer(m.layers[0].mediaType))
        #expect(throws: OCIError.invalidJSON(what: "m", detail: "missing field \"config\" at top level")) {
            try ImageGraph.decode(ImageManifest.self, Array(#"{"schemaVersion":2,"layers":[]}"#.utf8), what: "m")
        }
    }

    @Test func compressionSpecs() throws {
        #expect(try LayerCompression(parsing: "gzip") == .gzip(level: 6))
        #expect(try LayerCompression(parsing: "zstd:19") == .zstd(level: 19))
        #expect(try LayerCompression(parsing: "none") == LayerCompression.none)
        #expect(throws: OCIError.unsupported("unknown compression \"lz4\" (use gzip, zstd or none)")) { try LayerCompression(parsing: "lz4") }
        #expect(throws: OCIError.self) { try LayerCompression(parsing: "gzip:0") }
        #expect(try ExportTarget(parsing: "type=oci,dest=a.tar") == .ociArchive("a.tar"))
        #expect(throws: OCIError.unsupported("--output type=tar,dest=x: unknown type \"tar\" (use oci-dir, oci, docker or registry)")) {
            try ExportTarget(parsing: "type=tar,dest=x")
        }
        #expect(try ImageLocation(parsing: "oci:/a/b:reg:5000/x:1") == .layout(directory: "/a/b", tag: "reg:5000/x:1"))
    }
}
