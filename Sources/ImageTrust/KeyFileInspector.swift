import Foundation

/// Reads OpenPGP public key files (armored or binary) through `gpg --show-keys`, in a private home.
public struct KeyFileInspector: Sendable {
    /// Key files larger than this are refused before gpg sees them.
    public static let maximumKeyFileSize = 1 << 20

    let gpg: GnuPGProgram

    public init() throws {
        gpg = try GnuPGProgram("gpg")
    }

    /// Describes the single primary key in `path`. A file holding no key or several keys is refused:
    /// a trusted key file is named by its one key's fingerprint.
    public func describe(_ path: String) throws -> PublicKeyDescription {
        let keys = try describeAll(path)
        guard keys.count == 1, let key = keys.first else {
            throw TrustError.invalidKeyFile(path: path, reason: "holds \(keys.count) public keys; give one key per file")
        }
        return key
    }

    func describeAll(_ path: String) throws -> [PublicKeyDescription] {
        if case let .failure(error) = RegularFile.check(path, limit: Self.maximumKeyFileSize) {
            throw TrustError.invalidKeyFile(path: path, reason: error.reason)
        }
        let home = try PrivateGnuPGHome()
        defer { home.remove() }
        let output = try gpg.run(["--homedir", home.path, "--batch", "--no-tty", "--no-autostart",
                                  "--with-colons", "--fixed-list-mode", "--show-keys", "--", path])
        let keys = PublicKeyDescription.parse(colonListing: output.stdout)
        guard output.status == 0, !keys.isEmpty else {
            let message = Self.lastMessage(output.stderr) ?? "no OpenPGP public key found"
            throw TrustError.invalidKeyFile(path: path, reason: message)
        }
        return keys
    }

    /// The last line gpg wrote to stderr, without its `gpg: ` prefix.
    static func lastMessage(_ stderr: String) -> String? {
        guard let line = stderr.split(separator: "\n").last else { return nil }
        return line.hasPrefix("gpg: ") ? String(line.dropFirst(5)) : String(line)
    }
}
