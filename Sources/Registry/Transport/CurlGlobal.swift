import CCurl

/// libcurl's process-wide initialisation, done once before the first handle.
enum CurlGlobal {
    private static let once: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    static func initialize() { _ = once }
}
