/// How a layer's tar stream is compressed.
public enum LayerCompression: Sendable, Hashable, CustomStringConvertible {
    case none
    case gzip(level: Int)
    case zstd(level: Int)

    public static let gzip = LayerCompression.gzip(level: 6)
    public static let zstd = LayerCompression.zstd(level: 3)

    public var mediaType: String {
        switch self {
        case .none: return MediaType.ociLayer
        case .gzip: return MediaType.ociLayerGzip
        case .zstd: return MediaType.ociLayerZstd
        }
    }

    /// `gzip`, `gzip:9`, `zstd`, `zstd:19`, `none` / `uncompressed`.
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        let level = parts.count == 2 ? Int(parts[1]) : nil
        if parts.count == 2 && level == nil { throw OCIError.unsupported("invalid compression level in \"\(text)\"") }
        switch parts.first ?? "" {
        case "gzip":
            guard (1...12).contains(level ?? 6) else { throw OCIError.unsupported("gzip level must be 1…12, not \(level!)") }
            self = .gzip(level: level ?? 6)
        case "zstd":
            guard (1...22).contains(level ?? 3) else { throw OCIError.unsupported("zstd level must be 1…22, not \(level!)") }
            self = .zstd(level: level ?? 3)
        case "none", "uncompressed": self = .none
        default: throw OCIError.unsupported("unknown compression \"\(text)\" (use gzip, zstd or none)")
        }
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .gzip(let l): return "gzip:\(l)"
        case .zstd(let l): return "zstd:\(l)"
        }
    }
}
