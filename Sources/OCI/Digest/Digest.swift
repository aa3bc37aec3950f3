/// A content digest, `sha256:<64 lowercase hex>` (OCI image-spec "Digests").
public struct Digest: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let algorithm: String
    public let hex: String

    public init(algorithm: String = "sha256", hex: String) {
        self.algorithm = algorithm
        self.hex = hex
    }

    /// Parses `sha256:…`; only SHA-256 with 64 lowercase hex digits is accepted.
    public init(parsing text: String) throws(OCIError) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == "sha256", parts[1].utf8.count == 64,
            parts[1].utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { throw .invalidDigest(text) }
        self.algorithm = "sha256"
        self.hex = String(parts[1])
    }

    public var description: String { "\(algorithm):\(hex)" }

    /// The first 12 hex digits, as tools show them.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Digest(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// The digest of a byte buffer.
    public static func of(_ bytes: some Collection<UInt8>) -> Digest {
        let hasher = SHA256Hasher()
        hasher.update(Array(bytes))
        return hasher.finalize()
    }
}
