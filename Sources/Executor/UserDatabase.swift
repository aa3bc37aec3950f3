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

    /// The user a RUN runs as, as runc sets it up from the image's files (moby/sys/user's
    /// `GetExecUser`): `USER[:GROUP]`, names or numbers — a user without a group gets its
    /// passwd group, or 0 when a numeric user has no passwd entry; a name not found is an
    /// error. Without a group, the supplementary groups are those of /etc/group that list the
    /// user by name, after the primary group (BuildKit adds it); HOME is the passwd entry's
    /// directory, `/` when the user has no entry. Each file is read once.
    func execUser(_ spec: String) throws(ExecutorError) -> (uid: UInt32, gid: UInt32, groups: [UInt32], home: String) {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let passwd = entries("etc/passwd")
        let uid: UInt32
        let entry: (String, [Substring])?
        if let n = UInt32(parts[0]) {
            uid = n
            entry = passwd.first { $0.1[2] == Substring(parts[0]) }
        } else if let e = passwd.first(where: { $0.0 == parts[0] }), let n = UInt32(e.1[2]) {
            uid = n
            entry = e
        } else {
            throw .sandbox("no user \(parts[0]) in the stage's /etc/passwd")
        }
        var gid: UInt32 = entry.flatMap { $0.1.count > 3 ? UInt32($0.1[3]) : nil } ?? 0
        let home = entry.flatMap { $0.1.count > 5 ? String($0.1[5]) : nil } ?? "/"
        var groups: [UInt32] = []
        if parts.count == 2 {
            if let n = UInt32(parts[1]) {
                gid = n
            } else if let e = entries("etc/group").first(where: { $0.0 == parts[1] }), let n = UInt32(e.1[2]) {
                gid = n
            } else {
                throw .sandbox("no group \(parts[1]) in the stage's /etc/group")
            }
        } else if let user = entry?.0 {
            for (_, fields) in entries("etc/group") where fields.count > 3 {
                if fields[3].split(separator: ",").contains(Substring(user)), let g = UInt32(fields[2]), !groups.contains(g) { groups.append(g) }
            }
        }
        // BuildKit puts the primary group first among the supplementary ones (ensureAdditionalGids).
        if !groups.contains(gid) { groups.insert(gid, at: 0) }
        return (uid, gid, groups, home)
    }

    /// The owner COPY/ADD `--chown` and WORKDIR give what they make, as BuildKit's file
    /// operations resolve it (`readUser`): `root` and numbers as they are, a lone number
    /// also as the group; a name through /etc/passwd (its uid and gid) and a group name
    /// through /etc/group — a name not found (or no file) leaves 0, never an error.
    func fileOwner(_ spec: String) -> (uid: UInt32, gid: UInt32) {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        func number(_ s: String) -> UInt32? { s == "root" ? 0 : UInt32(s) }
        var uid: UInt32 = 0, gid: UInt32 = 0
        if let n = number(parts[0]) {
            (uid, gid) = (n, n)
        } else if let e = entries("etc/passwd").first(where: { $0.0 == parts[0] }) {
            uid = UInt32(e.1[2]) ?? 0
            gid = e.1.count > 3 ? UInt32(e.1[3]) ?? 0 : 0
        }
        if parts.count == 2 {
            if let n = number(parts[1]) {
                gid = n
            } else if let e = entries("etc/group").first(where: { $0.0 == parts[1] }), let n = UInt32(e.1[2]) {
                gid = n
            }
        }
        return (uid, gid)
    }
}
