/// One finding: ✓ (ok), ✗ (fail: a platform cannot be built until it is fixed) or ! (a
/// warning), what was seen, and for a failure the commands that fix it on Debian/Ubuntu.
public struct DoctorRow: Sendable, Hashable, Encodable {
    public enum Status: String, Sendable, Hashable, Encodable {
        case ok, fail, warn

        public var symbol: String {
            switch self {
            case .ok: return "✓"
            case .fail: return "✗"
            case .warn: return "!"
            }
        }
    }

    public var check: String
    /// The platform the row is about, when it is about one.
    public var platform: String?
    public var status: Status
    public var seen: String
    public var fix: [String]

    public init(_ check: String, platform: String? = nil, _ status: Status, _ seen: String, fix: [String] = []) {
        self.check = check
        self.platform = platform
        self.status = status
        self.seen = seen
        self.fix = fix
    }

    /// `✗ linux/arm64 registration  qemu-aarch64 is disabled` and its fix lines.
    public var text: String {
        var out = "\(status.symbol) \(platform.map { "\($0) " } ?? "")\(check): \(seen)"
        for f in fix { out += "\n    fix: \(f)" }
        return out
    }
}
