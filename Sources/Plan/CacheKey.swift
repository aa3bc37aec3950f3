import OCI

/// Content-addressed step keys: SHA-256 of canonical JSON of what determines the result.
enum CacheKey {
    static func make(_ fields: [String: [String]]) -> String {
        let bytes = (try? CanonicalJSON.encode(fields)) ?? []
        return Digest.of(bytes).description
    }
}
