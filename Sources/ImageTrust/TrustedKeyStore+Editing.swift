import Foundation
import LinuxSupport

extension TrustedKeyStore {
    /// Every key file of both sources, every scope (masks included), sorted by source, scope, fingerprint.
    public func allKeys() throws -> [TrustedKey] {
        var found: [TrustedKey] = []
        for source in [TrustedKey.Source.system, .local] {
            found += try keys(in: TrustScope.root, source: source)
            let prefixBase = base(source) + "/prefix.d"
            for prefix in try prefixDirectories(under: prefixBase, relative: "") {
                found += try keys(in: TrustScope.prefix(prefix), source: source)
            }
        }
        return found
    }

    /// Prefix directories nest one level per name component; deeper than this is taken for a symlink loop.
    static let maximumPrefixDepth = 32

    private func prefixDirectories(under directory: String, relative: String, depth: Int = 0) throws -> [String] {
        guard FileSystem.isDirectory(directory) else { return [] }
        guard depth < Self.maximumPrefixDepth else {
            throw TrustError.invalidKeyFile(
                path: directory, reason: "prefix directories nest deeper than \(Self.maximumPrefixDepth) levels (a symlink loop?)")
        }
        var found: [String] = []
        for name in try FileSystem.entries(of: directory).sorted() where FileSystem.isDirectory(directory + "/" + name) {
            let prefix = relative.isEmpty ? name : relative + "/" + name
            guard (try? TrustScope.prefix(validating: prefix)) != nil else { continue }
            found.append(prefix)
            found += try prefixDirectories(under: directory + "/" + name, relative: prefix, depth: depth + 1)
        }
        return found
    }

    /// Stores the key file's bytes as given (armored or binary) at `local/trustedkeys/<scope>/<fingerprint>`,
    /// atomically. The key must be the only one in the file and neither revoked nor expired.
    @discardableResult
    public func add(keyFile: String, description: PublicKeyDescription, scope: TrustScope) throws -> TrustedKey {
        if description.isRevoked {
            throw TrustError.unusableKey(path: keyFile, fingerprint: description.fingerprint.hex, reason: "revoked")
        }
        if description.isExpired {
            throw TrustError.unusableKey(path: keyFile, fingerprint: description.fingerprint.hex, reason: "expired")
        }
        guard let data = FileManager.default.contents(atPath: keyFile), !data.isEmpty else {
            throw TrustError.invalidKeyFile(path: keyFile, reason: "cannot be read")
        }
        let directory = directory(scope, .local)
        try FileSystem.makeDirectories(directory, mode: 0o755)
        let path = directory + "/" + description.fingerprint.hex
        try AtomicFile.write([UInt8](data), to: path, mode: 0o644)
        return TrustedKey(fingerprint: description.fingerprint, scope: scope, source: .local, path: path, isMask: false)
    }

    /// Withdraws trust in a key: local files with that fingerprint are deleted; where the key is trusted by
    /// the system config directory, an empty local file masks it (rkt's way; the system directory is not
    /// written). `scope` nil means every scope. Returns what was done, one line per file.
    public func remove(fingerprint: KeyFingerprint, scope: TrustScope?) throws -> [String] {
        let matching = try allKeys().filter { $0.fingerprint == fingerprint && (scope == nil || $0.scope == scope) }
        var done: [String] = []
        for key in matching where key.source == .local {
            if unlink(key.path) != 0 { throw SystemError.current("unlink", path: key.path) }
            try AtomicFile.syncDirectory(containing: key.path)
            done.append("removed \(key.path)")
        }
        for key in matching where key.source == .system && !key.isMask {
            let directory = directory(key.scope, .local)
            try FileSystem.makeDirectories(directory, mode: 0o755)
            let mask = directory + "/" + fingerprint.hex
            try AtomicFile.write([], to: mask, mode: 0o644)
            done.append("masked \(key.path) with \(mask)")
        }
        guard !done.isEmpty else { throw TrustError.keyNotTrusted(fingerprint: fingerprint.hex) }
        return done
    }
}
