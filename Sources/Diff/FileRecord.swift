import OCI

/// One path of a layer or of a flattened image, as its tar header and content say.
public struct FileRecord: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case file, directory, symlink, hardlink, characterDevice, blockDevice, fifo, socket
    }

    /// Absolute and clean: `/etc/passwd`, `/` for the root.
    public var path: String
    public var kind: Kind
    /// Permission bits, setuid, setgid and sticky (`0o7777`).
    public var mode: UInt32
    public var uid: Int64
    public var gid: Int64
    /// The tar header's user and group names (empty when unset).
    public var uname: String
    public var gname: String
    public var size: Int64
    public var mtime: Int64
    public var mtimeNanoseconds: Int
    /// SHA-256 of a regular file's content (a hardlink's is its target's).
    public var digest: Digest?
    /// A symlink's target, or the path a hardlink names.
    public var linkTarget: String?
    /// Extended attribute name → its value, hex (a digest for values over 64 bytes).
    public var xattrs: [String: String]
    /// `major,minor` of a device node.
    public var device: String?
    /// The whole content of a small file (up to `FileRecord.keptBytes`), to show what differs.
    public var content: [UInt8]?
    /// The tar header's format (`pax`, `ustar`, `gnu`) and the optional times it carries
    /// (`atime`, `ctime`): invisible in the filesystem, but part of the layer's diffID.
    public var header: String

    /// Files up to this size keep their content.
    public static let keptBytes = 4096

    public init(path: String, kind: Kind, mode: UInt32 = 0o644, uid: Int64 = 0, gid: Int64 = 0, uname: String = "", gname: String = "",
                size: Int64 = 0, mtime: Int64 = 0, mtimeNanoseconds: Int = 0, digest: Digest? = nil, linkTarget: String? = nil,
                xattrs: [String: String] = [:], device: String? = nil, content: [UInt8]? = nil, header: String = "") {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.uname = uname
        self.gname = gname
        self.size = size
        self.mtime = mtime
        self.mtimeNanoseconds = mtimeNanoseconds
        self.digest = digest
        self.linkTarget = linkTarget
        self.xattrs = xattrs
        self.device = device
        self.content = content
        self.header = header
    }
}
