import Foundation
import OCI
import Plan

/// One `buildctl build` of a recipe for a node: everything `mab build` was given that
/// BuildKit's dockerfile frontend takes.
public struct BuildctlRequest: Sendable {
    /// Where a secret's value comes from (buildctl reads it; mab never holds it).
    public enum SecretSource: Sendable, Hashable {
        case file(String)
        case environment(String)
    }

    public var contextDirectory: String
    /// The directory that holds the recipe, and its file name there.
    public var recipeDirectory: String
    public var recipeFile: String
    public var platforms: [Platform]
    public var target: String?
    public var buildArgs: [String: String] = [:]
    public var namedContexts: [String: BuildctlContext] = [:]
    public var secrets: [(id: String, source: SecretSource)] = []
    public var noCache = false
    /// `--cache-from` and `--cache-to` as buildx takes them (`type=registry,ref=…`, `type=local,src|dest=…`).
    public var cacheFrom: [String] = []
    public var cacheTo: [String] = []
    public var sourceDateEpoch: Int64?
    /// `--allow` entitlements (`security.insecure`, `network.host`).
    public var entitlements: [String] = []
    /// Layer compression for the OCI output: `gzip` (BuildKit's default), `zstd`, `uncompressed`; and a level.
    public var compression: String?
    public var compressionLevel: Int?
    /// Where buildctl writes its metadata file.
    public var metadataFile: String

    public init(contextDirectory: String, recipeDirectory: String, recipeFile: String, platforms: [Platform], target: String? = nil, metadataFile: String) {
        self.contextDirectory = contextDirectory
        self.recipeDirectory = recipeDirectory
        self.recipeFile = recipeFile
        self.platforms = platforms
        self.target = target
        self.metadataFile = metadataFile
    }

    /// buildctl's arguments after its connection flags (`--addr`, `--tls…`): the build,
    /// its result streamed as an OCI archive on stdout and its progress as rawjson on stderr.
    public func arguments(connection: [String]) -> [String] {
        var a = connection + [
            "build", "--frontend", "dockerfile.v0",
            "--local", "context=\(contextDirectory)", "--local", "dockerfile=\(recipeDirectory)",
            "--opt", "filename=\(recipeFile)",
            "--opt", "platform=\(platforms.map(\.description).joined(separator: ","))",
        ]
        if let target { a += ["--opt", "target=\(target)"] }
        var args = buildArgs
        if let sourceDateEpoch { args["SOURCE_DATE_EPOCH"] = String(sourceDateEpoch) }
        for (k, v) in args.sorted(by: { $0.key < $1.key }) { a += ["--opt", "build-arg:\(k)=\(v)"] }
        for (name, source) in namedContexts.sorted(by: { $0.key < $1.key }) {
            switch source {
            case .local(let dir):
                a += ["--local", "\(name)=\(dir)", "--opt", "context:\(name)=local:\(name)"]
            case .image(let ref):
                a += ["--opt", "context:\(name)=docker-image://\(ref)"]
            case .ociLayout(let dir, let digest):
                a += ["--oci-layout", "\(name)=\(dir)", "--opt", "context:\(name)=oci-layout://\(name)@\(digest)"]
            }
        }
        for secret in secrets {
            switch secret.source {
            case .file(let path): a += ["--secret", "id=\(secret.id),src=\(path)"]
            case .environment(let name): a += ["--secret", "id=\(secret.id),env=\(name)"]
            }
        }
        for e in entitlements { a += ["--allow", e] }
        if noCache { a.append("--no-cache") }
        for c in cacheFrom { a += ["--import-cache", c] }
        for c in cacheTo { a += ["--export-cache", c] }
        a += ["--progress", "rawjson", "--metadata-file", metadataFile,
              "--output", "type=oci,dest=-" + (compression.map { ",compression=\($0)" } ?? "") + (compressionLevel.map { ",compression-level=\($0)" } ?? "")
                + (compression == "zstd" ? ",force-compression=true" : "") + (sourceDateEpoch != nil ? ",rewrite-timestamp=true" : "")]
        return a
    }

    /// The command line as a shell would take it, for `--dry-run` (secret values are never
    /// in it: only their file or variable name).
    public static func shellQuoted(_ argv: [String]) -> String {
        argv.map { word in
            if !word.isEmpty, word.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./:=,@+%".unicodeScalars.contains($0)) }) {
                return word
            }
            return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
