import CCrypto

/// Streaming SHA-256 through OpenSSL's EVP interface (uses the CPU's SHA extensions).
/// One hasher per stream; not shared between tasks.
public final class SHA256Hasher {
    private let context: OpaquePointer
    private(set) public var count: Int64 = 0

    /// OpenSSL set up once, without reading openssl.cnf: nothing in it changes SHA-256, and
    /// reading it is a few milliseconds of every mab start that hashes anything.
    private static let library: Void = {
        _ = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_LOAD_CONFIG), nil)
    }()

    public init() {
        _ = Self.library
        context = EVP_MD_CTX_new()!
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        EVP_DigestUpdate(context, base, buffer.count)
        count += Int64(buffer.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything written so far; the hasher is reset afterwards.
    public func finalize() -> Digest {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &out, &length)
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        count = 0
        return Digest(hex: Hex.encode(out))
    }
}
