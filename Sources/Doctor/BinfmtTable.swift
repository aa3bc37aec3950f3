import Foundation
import OCI

/// The binfmt_misc directory (normally `/proc/sys/fs/binfmt_misc`; tests pass a directory
/// shaped like it): whether it is mounted, whether it is enabled, its registrations, and
/// the files that could not be read.
public struct BinfmtTable: Sendable {
    public let root: String
    public let mounted: Bool
    /// The `status` file: true when "enabled"; nil when it is missing or unreadable.
    public let enabled: Bool?
    public let entries: [BinfmtEntry]
    public let garbled: [DoctorError]

    public init(root: String = "/proc/sys/fs/binfmt_misc") {
        self.root = root
        mounted = FileSystem.exists(root + "/register")
        let status = (try? FileSystem.readFile(root + "/status")).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        enabled = status.flatMap { $0 == "enabled" ? true : $0 == "disabled" ? false : nil }
        var entries: [BinfmtEntry] = []
        var garbled: [DoctorError] = []
        for name in ((try? FileSystem.list(root)) ?? []).sorted() where name != "register" && name != "status" {
            guard let bytes = try? FileSystem.readFile(root + "/" + name) else {
                garbled.append(.garbled(name: name, reason: "unreadable"))
                continue
            }
            do { entries.append(try BinfmtEntry(name: name, text: String(decoding: bytes, as: UTF8.self))) } catch { garbled.append(error) }
        }
        self.entries = entries
        self.garbled = garbled
    }

    /// The registrations that claim the architecture's executables (static and PIE),
    /// enabled ones first.
    public func entries(for architecture: String) -> [BinfmtEntry] {
        guard let headers = ELFHeader.headers(architecture: architecture) else { return [] }
        return entries.filter { e in headers.allSatisfy(e.matches) }.sorted { $0.enabled && !$1.enabled }
    }
}
