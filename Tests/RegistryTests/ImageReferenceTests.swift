import Testing

@testable import OCI
@testable import Registry

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("alpine", "docker.io/library/alpine", "latest"),
        ("alpine:3.20", "docker.io/library/alpine:3.20", "3.20"),
        ("team/app", "docker.io/team/app", "latest"),
        ("localhost/app:1", "localhost/app:1", "1"),
        ("localhost:5000/mab/busybox:1.35", "localhost:5000/mab/busybox:1.35", "1.35"),
        ("127.0.0.1:5000/a/b/c:v1.2-rc_3", "127.0.0.1:5000/a/b/c:v1.2-rc_3", "v1.2-rc_3"),
        ("[::1]:5000/app:x", "[::1]:5000/app:x", "x"),
        ("ghcr.io/o/r@sha256:" + String(repeating: "a", count: 64), "ghcr.io/o/r@sha256:" + String(repeating: "a", count: 64), "sha256:" + String(repeating: "a", count: 64)),
        ("index.docker.io/library/busybox", "docker.io/library/busybox", "latest"),
    ])
    func parsesLikeDocker(_ input: String, _ normalized: String, _ reference: String) throws {
        let r = try ImageReference(parsing: input)
        #expect(r.description == normalized)
        #expect(r.reference == reference)
    }

    @Test func endpointsAndHosts() throws {
        #expect(try ImageReference(parsing: "alpine").endpointHost == "registry-1.docker.io")
        #expect(try ImageReference(parsing: "localhost:5000/a").hostname == "localhost")
        #expect(try ImageReference(parsing: "[::1]:5000/a").hostname == "::1")
    }

    @Test(arguments: [
        ("", ReferenceError.empty),
        ("Alpine", .uppercaseRepository(reference: "Alpine", repository: "Alpine")),
        ("app:-bad", .invalidTag(reference: "app:-bad", tag: "-bad")),
        ("app@sha256:xyz", .invalidDigest(reference: "app@sha256:xyz", digest: "sha256:xyz")),
        ("localhost:99999/app", .invalidRegistry(reference: "localhost:99999/app", registry: "localhost:99999")),
        ("a//b", .invalidRepository(reference: "a//b", component: "")),
        ("a/b__-c", .invalidRepository(reference: "a/b__-c", component: "b__-c")),
        ("localhost:5000/", .missingRepository("localhost:5000/")),
    ])
    func rejectsWithTheWrongPartNamed(_ input: String, _ error: ReferenceError) {
        #expect(throws: error) { try ImageReference(parsing: input) }
    }
}
