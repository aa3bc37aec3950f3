import Foundation
import OCI
import Registry

#if canImport(Glibc)
import Glibc
#endif

/// Downloads ADD's http(s) sources with libcurl (redirects followed), streaming to a file.
struct URLDownloader: Sendable {
    let environment: [String: String]

    /// Streams `url`'s body to `file`, hashing it on the way; returns its digest and its
    /// Last-Modified time, when the server sent one.
    func fetch(_ url: String, to file: String) throws -> (digest: Digest, modified: Int64?) {
        let transport = try CurlTransport(environment: environment)
        let fd = try FileSystem.open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        let hasher = SHA256Hasher()
        let response = try transport.perform(HTTPRequest(method: "GET", url: url), sink: { chunk in
            hasher.update(chunk)
            try FileSystem.writeAll(fd, chunk, path: file)
        })
        guard (200..<300).contains(response.status) else {
            throw CLIError.usage("GET \(url): HTTP \(response.status)")
        }
        return (hasher.finalize(), response.header("Last-Modified").flatMap(Self.httpDate))
    }

    /// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) as seconds since the epoch.
    static func httpDate(_ text: String) -> Int64? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }
}
