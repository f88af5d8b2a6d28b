import Foundation

/// Makes and uses OpenPGP keys for tests with the real GnuPG, in a private GNUPGHOME (never ~/.gnupg):
/// keys without passphrase (`--quick-gen-key`, loopback pinentry), detached armored signatures, public key
/// exports, revocations, and signing "in the past" with `--faked-system-time` instead of waiting.
public final class GnuPGTestKeys {
    public let home: String

    /// Whether gpg is installed; tests that need it skip otherwise.
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg") }

    public init() throws {
        home = "/tmp/rkt-gpg-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Stops the agent key generation started, then deletes the home.
    public func cleanUp() {
        _ = try? Self.run("/usr/bin/gpgconf", ["--homedir", home, "--kill", "gpg-agent"], home: home)
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Generates a signing key and returns its fingerprint (uppercase hex, as gpg prints it).
    /// `algorithm`: `ed25519`, `rsa2048`, …; `expiry`: `0` (never), `1y`, …; `fakedTime`: `20200101T000000`.
    public func generateKey(userID: String, algorithm: String, expiry: String = "0",
                            fakedTime: String? = nil) throws -> String {
        var arguments = ["--batch", "--pinentry-mode", "loopback", "--passphrase", ""]
        if let fakedTime { arguments += ["--faked-system-time", fakedTime] }
        arguments += ["--quick-gen-key", userID, algorithm, "sign", expiry]
        try gpg(arguments)
        let listing = try gpg(["--with-colons", "--list-keys", userID])
        guard let line = listing.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }) else {
            throw failure("no fingerprint listed for \(userID)")
        }
        return String(line.split(separator: ":", omittingEmptySubsequences: false)[9])
    }

    /// Writes the armored public key to `path`.
    public func exportPublicKey(_ fingerprint: String, to path: String) throws {
        try gpg(["--batch", "--yes", "--armor", "--output", path, "--export", fingerprint])
    }

    /// Writes a detached armored signature of `file` to `output`.
    public func sign(_ file: String, with fingerprint: String, output: String, fakedTime: String? = nil) throws {
        var arguments = ["--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", ""]
        if let fakedTime { arguments += ["--faked-system-time", fakedTime] }
        try gpg(arguments + ["--armor", "--local-user", fingerprint, "--output", output, "--detach-sign", file])
    }

    /// Revokes the key by importing the revocation certificate gpg made when it generated the key.
    public func revoke(_ fingerprint: String) throws {
        let certificate = home + "/openpgp-revocs.d/" + fingerprint + ".rev"
        let text = try String(contentsOfFile: certificate, encoding: .utf8)
        // gpg prefixes the armor header with ':' so the file cannot be imported by accident; drop it.
        let usable = text.replacingOccurrences(of: ":-----BEGIN PGP PUBLIC KEY BLOCK-----",
                                               with: "-----BEGIN PGP PUBLIC KEY BLOCK-----")
        let path = home + "/revoke.asc"
        try usable.write(toFile: path, atomically: true, encoding: .utf8)
        try gpg(["--batch", "--import", path])
    }

    @discardableResult
    private func gpg(_ arguments: [String]) throws -> String {
        try Self.run("/usr/bin/gpg", ["--homedir", home] + arguments, home: home)
    }

    private func failure(_ message: String) -> NSError {
        NSError(domain: "GnuPGTestKeys", code: 1, userInfo: [NSLocalizedDescriptionKey: message])
    }

    private static func run(_ executable: String, _ arguments: [String], home: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["GNUPGHOME": home, "PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = ErrorText()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errors.data = err.fileHandleForReading.readDataToEndOfFile() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "GnuPGTestKeys", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: "\(executable) \(arguments) failed: \(String(decoding: errors.data, as: UTF8.self))",
            ])
        }
        return String(decoding: data, as: UTF8.self)
    }
}

private final class ErrorText: @unchecked Sendable {
    var data = Data()
}
