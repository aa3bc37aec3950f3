/// An image platform (OCI image-spec "Image Index" platform object).
public struct Platform: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?

    enum CodingKeys: String, CodingKey {
        case os, architecture, variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(os: String = "linux", architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    public static let linuxAMD64 = Platform(architecture: "amd64")
    public static let linuxARM64 = Platform(architecture: "arm64")

    /// Parses and normalises `linux/amd64`, `linux/arm64/v8`, `arm64`, `aarch64`, `x86_64` …
    /// arm64 is written without a variant (as BuildKit v0.26 writes it); `v8` is the default.
    public init(parsing text: String) throws(OCIError) {
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { throw .invalidPlatform(text) }
        var os = "linux"
        var arch: String
        var variant: String?
        if parts.count == 1 {
            arch = parts[0]
        } else {
            os = parts[0]
            arch = parts[1]
            variant = parts.count == 3 ? parts[2] : nil
        }
        guard os == "linux" else { throw .invalidPlatform(text) }
        switch arch {
        case "amd64", "x86_64", "x86-64":
            arch = "amd64"
            if variant == "v1" { variant = nil }
        case "arm64", "aarch64":
            arch = "arm64"
            if variant == "v8" { variant = nil }
        case "arm", "armhf", "armel", "386", "i386", "ppc64le", "s390x", "riscv64":
            if arch == "i386" { arch = "386" }
            if arch == "armhf" { arch = "arm"; variant = variant ?? "v7" }
            if arch == "armel" { arch = "arm"; variant = variant ?? "v6" }
        default:
            throw .invalidPlatform(text)
        }
        self.init(os: os, architecture: arch, variant: variant)
    }

    /// The platform of the machine mab runs on.
    public static var host: Platform {
        #if arch(x86_64)
        return .linuxAMD64
        #elseif arch(arm64)
        return .linuxARM64
        #else
        return Platform(architecture: "unknown")
        #endif
    }

    public var description: String {
        var s = "\(os)/\(architecture)"
        if let variant { s += "/\(variant)" }
        return s
    }

    /// Variant-aware matching of a requested platform against an image's: `arm64` matches
    /// `arm64/v8` and no variant; an explicit requested variant must match otherwise.
    public func matches(_ candidate: Platform) -> Bool {
        guard os == candidate.os, architecture == candidate.architecture else { return false }
        return normalizedVariant == candidate.normalizedVariant
    }

    private var normalizedVariant: String? {
        switch (architecture, variant) {
        case ("arm64", "v8"), ("amd64", "v1"): return nil
        case ("arm", nil): return "v7"
        default: return variant
        }
    }

    public static func < (lhs: Platform, rhs: Platform) -> Bool { lhs.description < rhs.description }
}
