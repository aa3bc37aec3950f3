#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `strerror` text for an errno value.
enum SystemErrors {
    static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
