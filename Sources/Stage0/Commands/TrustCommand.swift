import ArgumentParser
import Foundation
import ImageFetch
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
            an empty local file). A key may be given as an https:// URL (http:// with --insecure-allow-http; \
            certificates checked against the system store and certs.d unless --insecure-options=tls); \
            with --prefix and no key, the keys are discovered through the prefix's ac-discovery-pubkeys meta tags \
            (appc discovery) and each is shown for review.
            """)

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Image name prefix the keys are trusted for (example.com/app).")
    var prefix: String?

    @Flag(help: "Trust the keys for every image.")
    var root = false

    @Flag(help: "Trust without showing the fingerprint and asking for confirmation.")
    var skipFingerprintReview = false

    @Flag(help: "Allow fetching keys (and discovery pages) over plain http.")
    var insecureAllowHttp = false

    @Flag(help: "List the trusted keys.")
    var list = false

    @Option(help: ArgumentHelp("Withdraw trust in the key with this fingerprint.", valueName: "fingerprint"))
    var remove: String?

    @Argument(help: "Public keys (armored or binary OpenPGP), one per file or https:// URL; none: discover them for --prefix.")
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
        let downloader = HTTPDownloader(allowHTTP: insecureAllowHttp, tls: try globals.tlsOptions())
        var sources = keys
        if sources.isEmpty {
            guard case let .prefix(name) = scope else {
                throw CommandFailure(message: "give the root keys to trust (files or URLs); only --prefix keys can be discovered")
            }
            do {
                sources = try AppcDiscovery(downloader: downloader).discoverPublicKeys(name: name)
            } catch {
                throw CommandFailure(message: "\(error); give the key file or URL to trust instead")
            }
        }
        let inspector = try KeyFileInspector()
        let downloads = NSTemporaryDirectory() + "rkt-trust-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: downloads) }
        for (index, source) in sources.enumerated() {
            let file = try keyFile(source, downloader: downloader, directory: downloads, index: index)
            let description = try inspector.describe(file)
            guard try review(description, file: source, scope: scope) else {
                throw CommandFailure(message: "not trusting key \(description.fingerprint.hex) from \(source)")
            }
            let stored = try store.add(keyFile: file, description: description, scope: scope)
            print("Added key \(description.fingerprint.hex) for \(scope) at \"\(stored.path)\"")
        }
    }

    /// A local key file as is; a key URL downloaded (at most 1 MiB) into `directory`.
    private func keyFile(_ source: String, downloader: HTTPDownloader, directory: String, index: Int) throws -> String {
        guard let scheme = ImageFetcher.scheme(of: source) else { return source }
        guard scheme == "https" || scheme == "http" else {
            throw CommandFailure(message: "\(source): keys are fetched over https:// (or http:// with --insecure-allow-http), not \(scheme)://")
        }
        if scheme == "http" && !insecureAllowHttp {
            throw CommandFailure(message: "\(source): fetching a key over plain http needs --insecure-allow-http")
        }
        guard let bytes = try downloader.get(source, limit: 1 << 20) else {
            throw CommandFailure(message: "\(source): HTTP 404 (no key there)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/key-\(index)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
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
