import CCurl
import OCI

#if canImport(Glibc)
import Glibc
#endif

/// HTTP over one libcurl easy handle (connections are kept and reused between requests).
/// Not shared between threads: each worker uses its own transport.
public final class CurlTransport {
    private let handle: UnsafeMutableRawPointer
    public let userAgent: String
    public let caBundle: String?

    public init(userAgent: String = "mab/0.1", environment: [String: String] = [:]) throws {
        guard let h = mab_curl_easy_init() else {
            throw TransportError.sink("libcurl could not be loaded (libcurl.so.4): install it with 'apt-get install libcurl4'")
        }
        handle = h
        self.userAgent = userAgent
        caBundle = environment["CURL_CA_BUNDLE"] ?? environment["SSL_CERT_FILE"]
    }

    deinit { mab_curl_easy_cleanup(handle) }

    /// State shared with libcurl's C callbacks during one request.
    final class Exchange {
        var status = 0
        var headers: [String: [String]] = [:]
        var body: [UInt8] = []
        var sink: ((UnsafeRawBufferPointer) throws -> Void)?
        var sinkError: (any Error)?
        var upload: UploadSource?

        func reset() {
            headers = [:]
            body = []
        }
    }

    /// Reads a request body from memory or a file.
    final class UploadSource {
        let bytes: [UInt8]?
        let fd: Int32
        var remaining: Int64
        var offset = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            fd = -1
            remaining = Int64(bytes.count)
        }

        init(path: String, offset: Int64, length: Int64) throws {
            bytes = nil
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw TransportError.sink("\(path): cannot open for upload: \(String(cString: strerror(errno)))") }
            lseek(fd, off_t(offset), SEEK_SET)
            remaining = length
        }

        deinit { if fd >= 0 { close(fd) } }

        func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
            let want = Int(min(Int64(capacity), remaining))
            if want == 0 { return 0 }
            if let bytes {
                bytes.withUnsafeBytes { src in
                    UnsafeMutableRawPointer(buffer).copyMemory(from: src.baseAddress! + offset, byteCount: want)
                }
                offset += want
                remaining -= Int64(want)
                return want
            }
            let n = Glibc.read(fd, buffer, want)
            if n <= 0 { return Int(CURL_READFUNC_ABORT) }
            remaining -= Int64(n)
            return n
        }
    }

    /// Performs one request. With a `sink`, a 2xx body streams into it; otherwise (and for
    /// error statuses) the body is collected in memory.
    public func perform(_ request: HTTPRequest, sink: ((UnsafeRawBufferPointer) throws -> Void)? = nil, timeout: Int = 0) throws -> HTTPResponse {
        mab_curl_easy_reset(handle)
        let exchange = Exchange()
        exchange.sink = sink
        let context = Unmanaged.passUnretained(exchange).toOpaque()

        mab_curl_setopt_string(handle, CURLOPT_URL, request.url)
        mab_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
        mab_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        mab_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        mab_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10)
        mab_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 30)
        mab_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Abort a transfer that stalls below 1 KiB/s for 60 s.
        mab_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1024)
        mab_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, 60)
        if timeout > 0 { mab_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeout) }
        if let caBundle { mab_curl_setopt_string(handle, CURLOPT_CAINFO, caBundle) }
        mab_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        mab_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        mab_curl_setopt_write(handle) { ptr, size, count, ctx in
            let exchange = Unmanaged<CurlTransport.Exchange>.fromOpaque(ctx!).takeUnretainedValue()
            let n = size * count
            let buffer = UnsafeRawBufferPointer(start: ptr, count: n)
            if let sink = exchange.sink, (200..<300).contains(exchange.status) {
                do { try sink(buffer) } catch {
                    exchange.sinkError = error
                    return 0
                }
            } else {
                exchange.body.append(contentsOf: buffer)
            }
            return n
        }
        mab_curl_setopt_header(handle) { ptr, size, count, ctx in
            let exchange = Unmanaged<CurlTransport.Exchange>.fromOpaque(ctx!).takeUnretainedValue()
            let n = size * count
            let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                // A new response (after a redirect or 100-continue): start over.
                exchange.reset()
                let parts = line.split(separator: " ", maxSplits: 2)
                if parts.count >= 2, let code = Int(parts[1]) { exchange.status = code }
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t\r\n")
                exchange.headers[name, default: []].append(value)
            }
            return n
        }

        var list: UnsafeMutablePointer<curl_slist>?
        defer { mab_curl_slist_free_all(list) }
        for (name, value) in request.headers { list = mab_curl_slist_append(list, "\(name): \(value)") }
        // No "Expect: 100-continue" round trip on uploads.
        list = mab_curl_slist_append(list, "Expect:")

        switch request.method {
        case "GET": mab_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD": mab_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default: mab_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        switch request.body {
        case .none:
            if request.method == "PUT" || request.method == "POST" || request.method == "PATCH" {
                mab_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, 0)
                mab_curl_setopt_string(handle, CURLOPT_POSTFIELDS, "")
            }
        case .bytes(let bytes):
            exchange.upload = UploadSource(bytes: bytes)
        case .file(let path, let offset, let length):
            exchange.upload = try UploadSource(path: path, offset: offset, length: length)
        }
        if exchange.upload != nil {
            mab_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
            mab_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(request.bodyLength))
            mab_curl_setopt_pointer(handle, CURLOPT_READDATA, context)
            mab_curl_setopt_read(handle) { buffer, size, count, ctx in
                let exchange = Unmanaged<CurlTransport.Exchange>.fromOpaque(ctx!).takeUnretainedValue()
                return exchange.upload!.read(into: buffer!, capacity: size * count)
            }
            if request.method != "PUT" { mab_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method) }
        }
        mab_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)

        let code = mab_curl_easy_perform(handle)
        if let sinkError = exchange.sinkError { throw sinkError }
        guard code == CURLE_OK else {
            throw TransportError.curl(code: Int32(code.rawValue), message: String(cString: mab_curl_easy_strerror(code)), url: Self.redact(request.url))
        }
        var status = 0
        mab_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        _ = withUnsafeMutablePointer(to: &effective) { p in
            mab_curl_getinfo_pointer(handle, CURLINFO_EFFECTIVE_URL, UnsafeMutableRawPointer(p))
        }
        return HTTPResponse(
            status: status, headers: exchange.headers, body: exchange.body,
            effectiveURL: effective.map { String(cString: $0) } ?? request.url)
    }

    /// URLs in messages never carry credentials or query tokens.
    static func redact(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        return String(url[..<q])
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
