#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 UTC timestamps for image configs (`2023-11-14T22:13:20Z`).
public enum Timestamp {
    public static func rfc3339(_ seconds: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }

    /// SOURCE_DATE_EPOCH from the environment, if set to a valid number.
    public static func sourceDateEpoch(_ environment: [String: String]) throws -> Int64? {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw OCIError.unsupported("SOURCE_DATE_EPOCH=\"\(text)\" is not a number of seconds since 1970")
        }
        return value
    }
}
