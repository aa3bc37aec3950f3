// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "mab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mab", targets: ["mab"]),
        .library(name: "Recipe", targets: ["Recipe"]),
        .library(name: "OCI", targets: ["OCI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian packages; see scripts/setup.sh).
        // libarchive's headers only: the library is loaded with dlopen on first use (see shim.h).
        .systemLibrary(name: "CArchive", path: "Sources/CArchive", providers: [.apt(["libarchive-dev"])]),
        // libcurl's headers only: the library is loaded with dlopen on first use (see shim.h).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        .systemLibrary(
            name: "CDeflate", path: "Sources/CDeflate", pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        // libseccomp compiles the RUN sandbox's seccomp profile to BPF.
        .systemLibrary(
            name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]),

        // Recipe: Dockerfile lexer/parser, word expansion, instruction model, .dockerignore.
        .target(name: "Recipe"),

        // OCI: digests, image model, canonical JSON, content store, layers, layouts/archives.
        .target(name: "OCI", dependencies: ["CCrypto", "CArchive", "CDeflate", "CZstd", "CSystem"]),

        // Plan: stage graph x platforms, ARG scoping, cache keys.
        .target(name: "Plan", dependencies: ["Recipe", "OCI"]),

        // Executor: the native backend (bubblewrap sandboxes, overlayfs diffs, qemu via binfmt_misc).
        .target(name: "Executor", dependencies: ["OCI", "Plan", "Recipe", "CSystem", "CSeccomp", "Doctor"]),

        // Doctor: can this machine build a platform? binfmt_misc, qemu, smoke test, sandbox.
        .target(name: "Doctor", dependencies: ["OCI", "BuildKit"]),

        // BuildKit: the buildctl driver (builders and nodes, argument building, rawjson
        // progress, platform scheduling, process control).
        .target(name: "BuildKit", dependencies: ["OCI", "Plan"]),

        // Diff: two images compared per platform, layer streams read into flattened trees,
        // file by file, with the likely cause of each difference.
        .target(name: "Diff", dependencies: ["OCI", "CArchive"]),

        // Explain: build records (what every native build's steps were keyed on and found)
        // and the cache explainer (hit or miss per step, and the first input that changed).
        .target(name: "Explain", dependencies: ["OCI", "Plan", "Executor"]),

        // Registry: distribution-spec client over libcurl.
        .target(name: "Registry", dependencies: ["OCI", "CCurl"]),

        // The commands library: every subcommand, reachable from tests without a process.
        .target(
            name: "MabCLI",
            dependencies: [
                "Recipe",
                "OCI",
                "Registry",
                "Plan",
                "Executor",
                "Doctor",
                "BuildKit",
                "Diff",
                "Explain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "mab", dependencies: ["MabCLI"]),

        .testTarget(name: "RecipeTests", dependencies: ["Recipe"], exclude: ["Fixtures"]),
        .testTarget(name: "OCITests", dependencies: ["OCI", "CSystem"], exclude: ["Fixtures"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "OCI"]),
        .testTarget(name: "BuildKitTests", dependencies: ["BuildKit", "OCI", "Plan"], exclude: ["Fixtures"]),
        .testTarget(name: "ExecutorTests", dependencies: ["Executor", "OCI", "Plan", "Recipe"]),
        .testTarget(name: "DoctorTests", dependencies: ["Doctor", "OCI", "BuildKit"], exclude: ["Fixtures"]),
        .testTarget(name: "PlanTests", dependencies: ["Plan", "Recipe", "OCI"], exclude: ["Expected"]),
        .testTarget(name: "MabCLITests", dependencies: ["MabCLI", "Recipe", "Doctor", "OCI", "CSystem"], exclude: ["Fixtures"]),
        .testTarget(name: "DiffTests", dependencies: ["Diff", "OCI"]),
        .testTarget(name: "ExplainTests", dependencies: ["Explain", "Plan", "OCI"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CArchive", "CCurl", "CCrypto"]),
    ],
    swiftLanguageModes: [.v6]
)
