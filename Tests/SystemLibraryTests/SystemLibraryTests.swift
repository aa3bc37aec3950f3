import CArchive
import CCrypto
import CCurl
import Testing

/// The system libraries mab is built on link and report the versions Debian 12 ships.
@Suite struct SystemLibraryTests {
    @Test func libarchiveLinks() {
        let version = String(cString: mab_archive_version_string())
        #expect(version.hasPrefix("libarchive 3."))
    }

    @Test func libcurlLoadsWithTLS() throws {
        let info = try #require(mab_curl_version_info())
        #expect(info.pointee.features & CURL_VERSION_SSL != 0)
        #expect(String(cString: try #require(mab_curl_version())).hasPrefix("libcurl/7."))
    }

    @Test func libcryptoComputesSHA256() {
        var digest = [UInt8](repeating: 0, count: 32)
        let input = Array("abc".utf8)
        _ = SHA256(input, input.count, &digest)
        let hex = digest.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
