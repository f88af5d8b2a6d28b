import Foundation
import LinuxSupport

/// Trusted keys in rkt's layout, read from the system config directory and then the local one:
///
///     <config>/trustedkeys/root.d/<fingerprint>              trusted for every image
///     <config>/trustedkeys/prefix.d/<prefix>/<fingerprint>   trusted for <prefix> and names under it
///
/// Later sources win: a local key replaces a system key of the same fingerprint, and an empty local file
/// masks it. Keys are written only to the local directory.
public struct TrustedKeyStore: Sendable {
    public let localDirectory: String
    public let systemDirectory: String

    public init(localConfigDirectory: String, systemConfigDirectory: String) {
        localDirectory = localConfigDirectory + "/trustedkeys"
        systemDirectory = systemConfigDirectory + "/trustedkeys"
    }

    func base(_ source: TrustedKey.Source) -> String {
        source == .local ? localDirectory : systemDirectory
    }

    func directory(_ scope: TrustScope, _ source: TrustedKey.Source) -> String {
        base(source) + "/" + scope.relativeDirectory
    }

    /// The keys that may sign an image called `imageName`, in rkt's order (system root, local root, system
    /// prefixes, local prefixes, shorter prefixes first), masks applied.
    public func keys(for imageName: String) throws -> [TrustedKey] {
        var scopes: [TrustScope] = [.root]
        var prefix = ""
        for component in imageName.split(separator: "/", omittingEmptySubsequences: false) {
            prefix = prefix.isEmpty ? String(component) : prefix + "/" + component
            if let scope = try? TrustScope.prefix(validating: prefix) { scopes.append(scope) }
        }
        var effective: [KeyFingerprint: TrustedKey] = [:]
        var order: [KeyFingerprint] = []
        for (rootPass, source) in [(true, TrustedKey.Source.system), (true, .local), (false, .system), (false, .local)] {
            for scope in scopes where (scope == .root) == rootPass {
                for key in try keys(in: scope, source: source) {
                    if key.isMask {
                        effective[key.fingerprint] = nil
                    } else {
                        if effective[key.fingerprint] == nil { order.append(key.fingerprint) }
                        effective[key.fingerprint] = key
                    }
                }
            }
        }
        return order.compactMap { effective[$0] }.filter { $0.scope.covers(imageName: imageName) }
    }

    /// The files directly in one scope's directory. Hidden files and AtomicFile's `.tmp-` leftovers are
    /// skipped; any other name that is not a fingerprint is an error naming the file.
    func keys(in scope: TrustScope, source: TrustedKey.Source) throws -> [TrustedKey] {
        let directory = directory(scope, source)
        guard FileSystem.isDirectory(directory) else { return [] }
        var keys: [TrustedKey] = []
        for name in try FileSystem.entries(of: directory).sorted() {
            let path = directory + "/" + name
            if name.hasPrefix(".") || name.contains(".tmp-") || FileSystem.isDirectory(path) { continue }
            guard let fingerprint = try? KeyFingerprint(name), fingerprint.hex == name else {
                throw TrustError.invalidKeyFile(path: path, reason: "the file name is not a lowercase key fingerprint")
            }
            keys.append(TrustedKey(fingerprint: fingerprint, scope: scope, source: source, path: path,
                                   isMask: FileSystem.fileSize(path) == 0))
        }
        return keys
    }
}
