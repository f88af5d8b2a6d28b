import ArgumentParser
import Foundation
import ImageTrust

/// `rkt trust`: trust, list and withdraw the OpenPGP keys that sign images.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Trust a key for image verification.",
        discussion: """
            rkt trust --prefix=PREFIX KEY_FILE…  trusts the keys for images named PREFIX or PREFIX/…; \
            rkt trust --root KEY_FILE…  trusts them for every image. Each key's fingerprint and user IDs are \
            shown and must be confirmed on a terminal unless --skip-fingerprint-review is given. Keys are \
            stored in the local config directory as trustedkeys/prefix.d/PREFIX/FINGERPRINT or \
            trustedkeys/root.d/FINGERPRINT. rkt trust --list shows the trusted keys (local and system); \
            rkt trust --remove FINGERPRINT [--prefix=PREFIX | --root] withdraws one (a system key is masked by \
            an empty local file). Fetching keys from URLs and discovering them through ac-discovery-pubkeys are \
            not supported yet: download the key and give its path.
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Image name prefix the keys are trusted for (example.com/app).")
    var prefix: String?

    @Flag(help: "Trust the keys for every image.")
    var root = false

    @Flag(help: "Trust without showing the fingerprint and asking for confirmation.")
    var skipFingerprintReview = false

    @Flag(help: "Allow fetching keys over http (keys from URLs are not supported yet).")
    var insecureAllowHttp = false

    @Flag(help: "List the trusted keys.")
    var list = false

    @Option(help: ArgumentHelp("Withdraw trust in the key with this fingerprint.", valueName: "fingerprint"))
    var remove: String?

    @Argument(help: "Public key files (armored or binary OpenPGP), one key per file.")
    var keys: [String] = []

    func validate() throws {
        if root && prefix != nil { throw ValidationError("--root and --prefix exclude each other") }
        if list && (remove != nil || !keys.isEmpty) { throw ValidationError("--list takes no keys and no --remove") }
        if remove != nil && !keys.isEmpty { throw ValidationError("--remove takes a fingerprint, not key files") }
        if let prefix { _ = try TrustScope.prefix(validating: prefix) }
    }

    func run() throws {
        let store = globals.trustedKeyStore()
        if list { return try TrustedKeyListing(store: store).print() }
        if let remove {
            let fingerprint = try KeyFingerprint(remove)
            let scope: TrustScope? = root ? .root : try prefix.map { try TrustScope.prefix(validating: $0) }
            for line in try store.remove(fingerprint: fingerprint, scope: scope) { print(line) }
            return
        }
        let scope: TrustScope
        if root {
            scope = .root
        } else if let prefix {
            scope = try TrustScope.prefix(validating: prefix)
        } else {
            throw CommandFailure(message: "give --prefix=PREFIX (keys for images under PREFIX) or --root (keys for every image)")
        }
        guard !keys.isEmpty else {
            throw CommandFailure(message: """
                discovering keys for \(scope) through ac-discovery-pubkeys is not supported yet; \
                download the key and run rkt trust --prefix=PREFIX KEY_FILE
                """)
        }
        let inspector = try KeyFileInspector()
        for key in keys {
            if let scheme = ImageFetcher.scheme(of: key) {
                throw CommandFailure(message: "\(key): fetching keys over \(scheme):// is not supported yet; download it and give its path")
            }
            let description = try inspector.describe(key)
            guard try review(description, file: key, scope: scope) else {
                throw CommandFailure(message: "not trusting key \(description.fingerprint.hex) from \(key)")
            }
            let stored = try store.add(keyFile: key, description: description, scope: scope)
            print("Added key \(description.fingerprint.hex) for \(scope) at \"\(stored.path)\"")
        }
    }

    /// Shows the key and asks on the terminal; true when trust was confirmed (or review skipped).
    private func review(_ key: PublicKeyDescription, file: String, scope: TrustScope) throws -> Bool {
        print("Key: \"\(file)\" for \(scope)")
        print("GPG key fingerprint is: \(key.fingerprint.grouped)")
        for userID in key.userIDs { print("\t\(userID)") }
        if key.isRevoked || key.isExpired { return true }  // refused with its reason by the store
        if skipFingerprintReview { return true }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(message: """
                cannot ask for confirmation: standard input is not a terminal; review the fingerprint above and \
                pass --skip-fingerprint-review to trust it
                """)
        }
        Swift.print("Are you sure you want to trust this key (yes/no)? ", terminator: "")
        fflush(nil)
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }
}
