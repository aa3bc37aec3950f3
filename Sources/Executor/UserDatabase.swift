import OCI

#if canImport(Glibc)
import Glibc
#endif

/// USER and `--chown` names resolved through the stage's own `/etc/passwd` and
/// `/etc/group`, as Docker resolves them: the topmost layer directory that has the file
/// decides (a whiteout there means there is none).
struct UserDatabase {
    /// The stage's layer directories, bottom first.
    let lowers: [String]

    private func read(_ relative: String) -> String? {
        for dir in lowers.reversed() {
            var st = stat()
            guard lstat(dir + "/" + relative, &st) == 0 else { continue }
            guard st.st_mode & S_IFMT == S_IFREG, let bytes = try? FileSystem.readFile(dir + "/" + relative) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
        return nil
    }

    /// `name:x:id:…` lines as (name, fields).
    private func entries(_ relative: String) -> [(String, [Substring])] {
        (read(relative) ?? "").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            return fields.count >= 3 && !line.hasPrefix("#") ? (String(fields[0]), fields) : nil
        }
    }

    /// `USER[:GROUP]` (names or numbers) as numeric `UID:GID`; a user without a group gets
    /// its passwd group, or 0 when a numeric user has no passwd entry.
    func resolve(_ spec: String) throws(ExecutorError) -> String {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let passwd = entries("etc/passwd")
        let uid: UInt32
        var gid: UInt32 = 0
        if let n = UInt32(parts[0]) {
            uid = n
            if let e = passwd.first(where: { $0.1[2] == parts[0] }), e.1.count > 3, let g = UInt32(e.1[3]) { gid = g }
        } else if let e = passwd.first(where: { $0.0 == parts[0] }), let n = UInt32(e.1[2]) {
            uid = n
            if e.1.count > 3, let g = UInt32(e.1[3]) { gid = g }
        } else {
            throw .sandbox("no user \(parts[0]) in the stage's /etc/passwd")
        }
        if parts.count == 2 {
            if let n = UInt32(parts[1]) {
                gid = n
            } else if let e = entries("etc/group").first(where: { $0.0 == parts[1] }), let n = UInt32(e.1[2]) {
                gid = n
            } else {
                throw .sandbox("no group \(parts[1]) in the stage's /etc/group")
            }
        }
        return "\(uid):\(gid)"
    }
}
