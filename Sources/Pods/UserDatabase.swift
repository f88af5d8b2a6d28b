import Foundation

/// The users and groups of an image, from its `/etc/passwd` and `/etc/group`, used to resolve an app's
/// `user`/`group` (a name, a number, or an absolute path whose owner is used) the way rkt's stage1 does.
public struct UserDatabase: Sendable {
    public struct User: Equatable, Sendable {
        public var name: String
        public var uid: UInt32
        public var gid: UInt32
        public var home: String
    }

    public struct Group: Equatable, Sendable {
        public var name: String
        public var gid: UInt32
    }

    public var users: [User]
    public var groups: [Group]

    /// Files larger than this are refused (an image's passwd is small; a hostile one could be huge).
    public static let maximumFileSize = 4 << 20

    public init(passwd: String, group: String) {
        users = passwd.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 7, !fields[0].isEmpty, let uid = UInt32(fields[2]), let gid = UInt32(fields[3])
            else { return nil }
            return User(name: String(fields[0]), uid: uid, gid: gid, home: String(fields[5]))
        }
        groups = group.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 3, !fields[0].isEmpty, let gid = UInt32(fields[2]) else { return nil }
            return Group(name: String(fields[0]), gid: gid)
        }
    }

    /// Reads the databases of the image rootfs at `rootfs`; missing files are empty databases.
    public init(rootfs: String) throws {
        func load(_ path: String) throws -> String {
            let host = try ContainedPath.resolve(path, in: rootfs)
            return try SmallFile.read(host, limit: Self.maximumFileSize) ?? ""
        }
        self.init(passwd: try load("/etc/passwd"), group: try load("/etc/group"))
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unknownUser(String)
        case unknownGroup(String)
        case pathOwnerMissing(String)

        public var description: String {
            switch self {
            case .unknownUser(let user): return "user \(user.debugDescription) not found in the image's /etc/passwd"
            case .unknownGroup(let group): return "group \(group.debugDescription) not found in the image's /etc/group"
            case .pathOwnerMissing(let path): return "\(path) (named as user or group) does not exist in the image"
            }
        }
    }

    /// Resolves an appc user: a number, a name in passwd, or an absolute path (its owner) inside `rootfs`.
    public func uid(for user: String, rootfs: String) throws -> UInt32 {
        if let number = UInt32(user) { return number }
        if user.hasPrefix("/") { return try Self.owner(of: user, in: rootfs).uid }
        guard let entry = users.first(where: { $0.name == user }) else { throw Failure.unknownUser(user) }
        return entry.uid
    }

    public func gid(for group: String, rootfs: String) throws -> UInt32 {
        if let number = UInt32(group) { return number }
        if group.hasPrefix("/") { return try Self.owner(of: group, in: rootfs).gid }
        guard let entry = groups.first(where: { $0.name == group }) else { throw Failure.unknownGroup(group) }
        return entry.gid
    }

    /// The passwd entry of a uid, for HOME/USER defaults.
    public func user(uid: UInt32) -> User? { users.first { $0.uid == uid } }

    static func owner(of path: String, in rootfs: String) throws -> (uid: UInt32, gid: UInt32) {
        var info = stat()
        guard stat(try ContainedPath.resolve(path, in: rootfs), &info) == 0 else { throw Failure.pathOwnerMissing(path) }
        return (info.st_uid, info.st_gid)
    }
}
