import Foundation

/// A fresh GnuPG home directory (mode 0700) under the temporary directory, deleted by `remove()`. Every key
/// listing and verification gets its own, so nothing leaks between checks and ~/.gnupg is never touched.
public final class PrivateGnuPGHome {
    public let path: String

    public init() throws {
        let base = NSTemporaryDirectory() + "rkt-gnupg-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = base
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit { remove() }
}
