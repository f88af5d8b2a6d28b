import Foundation

/// Checks a detached OpenPGP signature over a file against the keys trusted for an image name, with
/// GnuPG's `gpgv`. For each check a private home is made, the trusted key files are imported into it with
/// `gpg --import` and exported as one keyring, and `gpgv --keyring` reads that keyring and nothing else;
/// its `--status-fd` lines decide the verdict (see `GnuPGStatusReport`).
public struct SignatureVerifier: Sendable {
    /// Signature files larger than this are refused before gpgv sees them.
    public static let maximumSignatureSize = 64 << 10

    /// The outcome of one check: the verdict and the keys that were trusted for the name.
    public struct Check: Sendable {
        public let verdict: SignatureVerdict
        public let trustedKeys: [TrustedKey]
        /// The trusted key that made a good signature.
        public var signingKey: TrustedKey? {
            guard case let .good(signer, _) = verdict else { return nil }
            return trustedKeys.first { $0.fingerprint == signer }
        }
    }

    public let keyStore: TrustedKeyStore
    let gpg: GnuPGProgram
    let gpgv: GnuPGProgram
    let inspector: KeyFileInspector

    public init(keyStore: TrustedKeyStore) throws {
        self.keyStore = keyStore
        gpg = try GnuPGProgram("gpg")
        gpgv = try GnuPGProgram("gpgv")
        inspector = try KeyFileInspector()
    }

    /// Reads a signature file, refusing anything but a non-empty regular file of at most
    /// `maximumSignatureSize` bytes. The bytes are then checked and kept, so the file is read only once.
    public static func readSignature(_ path: String) throws -> [UInt8] {
        if case let .failure(error) = RegularFile.check(path, limit: maximumSignatureSize) {
            throw TrustError.invalidSignature(path: path, reason: error.reason)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrustError.invalidSignature(path: path, reason: "cannot be opened")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumSignatureSize + 1)) ?? nil
        guard let data, !data.isEmpty else { throw TrustError.invalidSignature(path: path, reason: "the file is empty") }
        guard data.count <= maximumSignatureSize else {
            throw TrustError.invalidSignature(path: path, reason: "larger than the \(maximumSignatureSize)-byte limit")
        }
        return [UInt8](data)
    }

    /// Checks `signature` (the bytes of a detached signature, armored or binary) over the file at
    /// `signedFile` against the keys trusted for `imageName`.
    public func check(signedFile: String, signature: [UInt8], imageName: String) throws -> Check {
        let trusted = try keyStore.keys(for: imageName)
        let home = try PrivateGnuPGHome()
        defer { home.remove() }
        let keyring = try buildKeyring(trusted, in: home)
        let signatureFile = home.path + "/image.sig"
        guard FileManager.default.createFile(atPath: signatureFile, contents: Data(signature)) else {
            throw TrustError.toolFailed(tool: "rkt", status: -1, message: "cannot write \(signatureFile)")
        }
        let output = try gpgv.run(["--homedir", home.path, "--keyring", keyring, "--status-fd", "1",
                                   "--", signatureFile, signedFile])
        var verdict = GnuPGStatusReport(parsing: output.stdout).verdict
        if case let .good(signer, _) = verdict {
            if output.status != 0 {
                verdict = .unverifiable(reason: "gpgv exited with status \(output.status)")
            } else if !trusted.contains(where: { $0.fingerprint == signer }) {
                // Cannot happen with a keyring built from `trusted` alone; refuse rather than assume.
                verdict = .unknownKey(keyID: signer.hex, fingerprint: signer.hex)
            }
        }
        if case .unverifiable = verdict, let message = KeyFileInspector.lastMessage(output.stderr) {
            verdict = .unverifiable(reason: message.hasPrefix("gpgv: ") ? String(message.dropFirst(6)) : message)
        }
        return Check(verdict: verdict, trustedKeys: trusted)
    }

    /// Imports the trusted key files into the private home and exports them as one binary keyring. Each
    /// file must hold exactly the key its name says.
    private func buildKeyring(_ keys: [TrustedKey], in home: PrivateGnuPGHome) throws -> String {
        let keyring = home.path + "/trusted.gpg"
        guard !keys.isEmpty else {
            guard FileManager.default.createFile(atPath: keyring, contents: Data()) else {
                throw TrustError.toolFailed(tool: "rkt", status: -1, message: "cannot create \(keyring)")
            }
            return keyring
        }
        for key in keys {
            let description = try inspector.describe(key.path)
            guard description.fingerprint == key.fingerprint else {
                throw TrustError.keyFileMismatch(path: key.path, fingerprint: description.fingerprint.hex)
            }
        }
        let common = ["--homedir", home.path, "--batch", "--no-tty", "--no-autostart"]
        let imported = try gpg.run(common + ["--import", "--"] + keys.map(\.path))
        guard imported.status == 0 else {
            throw TrustError.toolFailed(tool: "gpg --import", status: imported.status,
                                        message: KeyFileInspector.lastMessage(imported.stderr) ?? "")
        }
        let exported = try gpg.run(common + ["--output", keyring, "--export", "--"] + keys.map(\.fingerprint.hex))
        guard exported.status == 0, FileManager.default.fileExists(atPath: keyring) else {
            throw TrustError.toolFailed(tool: "gpg --export", status: exported.status,
                                        message: KeyFileInspector.lastMessage(exported.stderr) ?? "")
        }
        return keyring
    }
}
