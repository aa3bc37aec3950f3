import BuildKit
import OCI
import Plan
import Testing

/// The buildctl command line for every option mab maps.
struct BuildctlRequestTests {
    @Test func everyOption() throws {
        var r = BuildctlRequest(contextDirectory: "/ctx", recipeDirectory: "/ctx/build", recipeFile: "Dockerfile.app",
                                platforms: [.linuxAMD64, .linuxARM64], target: "app", metadataFile: "/tmp/m.json")
        r.buildArgs = ["B": "two words", "A": "1"]
        r.namedContexts = ["assets": .local(directory: "/data/assets"), "base": .image(reference: "localhost:5000/base:1"), "lay": .ociLayout(directory: "/l", digest: Digest.of([]))]
        r.secrets = [(id: "tok", source: .file("/s/tok")), (id: "env", source: .environment("TOKEN"))]
        r.noCache = true
        r.cacheFrom = ["type=registry,ref=localhost:5000/cache"]
        r.cacheTo = ["type=local,dest=/cache,mode=max"]
        r.sourceDateEpoch = 1700000000
        r.entitlements = ["network.host"]
        r.compression = "zstd"
        r.compressionLevel = 3
        let node = BuilderNode(name: "n", address: try BuilderAddress(parsing: "tcp://127.0.0.1:1234"),
                               tls: TLSFiles(caCert: "/t/ca.pem", cert: "/t/client.pem", key: "/t/client-key.pem", serverName: "bk"))
        #expect(r.arguments(connection: node.connectionArguments) == [
            "--addr", "tcp://127.0.0.1:1234", "--tlscacert", "/t/ca.pem", "--tlscert", "/t/client.pem", "--tlskey", "/t/client-key.pem", "--tlsservername", "bk",
            "build", "--frontend", "dockerfile.v0", "--local", "context=/ctx", "--local", "dockerfile=/ctx/build",
            "--opt", "filename=Dockerfile.app", "--opt", "platform=linux/amd64,linux/arm64", "--opt", "target=app",
            "--opt", "build-arg:A=1", "--opt", "build-arg:B=two words", "--opt", "build-arg:SOURCE_DATE_EPOCH=1700000000",
            "--local", "assets=/data/assets", "--opt", "context:assets=local:assets",
            "--opt", "context:base=docker-image://localhost:5000/base:1",
            "--oci-layout", "lay=/l", "--opt", "context:lay=oci-layout://lay@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "--secret", "id=tok,src=/s/tok", "--secret", "id=env,env=TOKEN",
            "--allow", "network.host", "--no-cache",
            "--import-cache", "type=registry,ref=localhost:5000/cache", "--export-cache", "type=local,dest=/cache,mode=max",
            "--progress", "rawjson", "--metadata-file", "/tmp/m.json",
            "--output", "type=oci,dest=-,compression=zstd,compression-level=3,force-compression=true,rewrite-timestamp=true",
        ])
    }

    @Test func theLeastAndItsShellForm() throws {
        let r = BuildctlRequest(contextDirectory: "/my ctx", recipeDirectory: "/my ctx", recipeFile: "Dockerfile", platforms: [.linuxARM64], metadataFile: "/m")
        let node = BuilderNode(name: "n", address: try BuilderAddress(parsing: "unix:///run/buildkit/buildkitd.sock"))
        #expect(BuildctlRequest.shellQuoted(["buildctl"] + r.arguments(connection: node.connectionArguments)) ==
            "buildctl --addr unix:///run/buildkit/buildkitd.sock build --frontend dockerfile.v0 --local 'context=/my ctx' --local 'dockerfile=/my ctx' --opt filename=Dockerfile --opt platform=linux/arm64 --progress rawjson --metadata-file /m --output type=oci,dest=-")
    }
}
