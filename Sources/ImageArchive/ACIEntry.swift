/// One member of a tar, copied out of libarchive so nothing points into its buffers. `path` and link
/// targets are exactly as stored in the archive (validated as UTF-8, not yet normalized).
public struct ACIEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case regular, directory, symlink, hardlink, fifo, characterDevice, blockDevice, socket
        case unknown(UInt32)
    }

    public struct ExtendedAttribute: Equatable, Sendable {
        public let name: String
        public let value: [UInt8]
    }

    public let path: String
    public let kind: Kind
    /// Bytes of data stored for the entry (0 for anything but regular files).
    public let size: Int64
    /// Permission bits including setuid, setgid and sticky (`mode & 0o7777`).
    public let permissions: UInt32
    public let uid: Int64
    public let gid: Int64
    public let modificationTime: Timestamp?
    public let accessTime: Timestamp?
    /// Target of a symlink (any text) or of a hardlink (an archive path).
    public let linkTarget: String?
    public let extendedAttributes: [ExtendedAttribute]

    public struct Timestamp: Equatable, Sendable {
        public let seconds: Int64
        public let nanoseconds: Int
    }
}
