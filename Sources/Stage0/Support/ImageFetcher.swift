import Foundation
import ImageFetch
import ImageStore
import ImageTrust

/// Turns an image argument into a stored image: local files are imported, https:// ACIs downloaded, names
/// looked up in the store and otherwise found by appc discovery; OCI / docker references go to ImageFetch.
struct ImageFetcher {
    let store: ImageStore
    let globals: GlobalOptions
    let pullPolicy: String

    /// `signature`: the detached signature file for a file image (default: the image path + `.asc`).
    func fetch(_ argument: String, signature: String? = nil) throws -> ImageRecord {
        if let reference = try Self.ociReference(argument) {
            if signature != nil {
                throw CommandFailure(message: "--signature: \(argument) is an OCI / docker image; signatures apply to ACI files")
            }
            return try fetchOCI(reference, argument: argument)
        }
        if let path = Self.localPath(argument) {
            return try importFile(path, argument: argument, signature: signature)
        }
        if signature != nil {
            throw CommandFailure(message: "--signature: \(argument) is not an image file; signatures apply to file fetches")
        }
        if let scheme = Self.scheme(of: argument) {
            guard scheme == "https" || scheme == "http" else {
                throw CommandFailure(message: "fetching \(argument): the \(scheme):// transport is not supported")
            }
            return try fetchRemoteACI(url: argument, signatureURL: argument + ".asc", argument: argument)
        }
        if let record = try? store.resolve(argument) {
            globals.debugLog("image \(argument) found in the store as \(record.key)")
            try store.markUsed(record)
            return record
        }
        if pullPolicy == "never" {
            throw CommandFailure(message: "image \(argument) not found in the store (--pull-policy=never)")
        }
        return try fetchByDiscovery(argument)
    }

    /// `origin`: what the index records as the image's source (default: the file's `file://` URL).
    func importFile(_ path: String, argument: String, signature: String?, origin: String? = nil) throws -> ImageRecord {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(message: "fetching \(argument): \(path): no such file")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let progress = ProgressReporter(label: "importing \(path)")
        globals.debugLog("importing \(absolute)")
        let result: ImageStore.ImportResult
        if globals.insecure.skipImageVerification {
            Console.error("rkt: warning: signature verification is disabled (--insecure-options=image); \(path) is not verified")
            result = try store.importACI(path: absolute, origin: origin ?? "file://" + absolute, progress: progress.update)
        } else {
            let signaturePath = signature ?? absolute + ".asc"
            guard FileManager.default.fileExists(atPath: signaturePath) else {
                throw CommandFailure(message: """
                    fetching \(argument): no signature \(signaturePath); images must be signed: give the detached \
                    signature with --signature FILE, or fetch without verification with --insecure-options=image
                    """)
            }
            let signatureBytes = try SignatureVerifier.readSignature(signaturePath)
            let verifier = try SignatureVerifier(keyStore: globals.trustedKeyStore())
            result = try store.importACI(path: absolute, origin: origin ?? "file://" + absolute, progress: progress.update) {
                signedPath, manifest in
                let name = manifest.name.description
                let check = try verifier.check(signedFile: signedPath, signature: signatureBytes, imageName: name)
                guard let key = check.signingKey else {
                    throw CommandFailure(message: SignatureFailure.message(
                        image: argument, name: name, signature: signaturePath, check: check))
                }
                globals.debugLog("signature \(signaturePath) verified: key \(key.fingerprint) (\(key.scope), \(key.source))")
                return ImageSignature(signer: key.fingerprint.hex, signature: signatureBytes)
            }
        }
        progress.finish(result.record.size)
        globals.debugLog(result.alreadyStored ? "image already stored, blob shared" : "stored new blob")
        return result.record
    }

    /// The file path an argument names: `file:///x.aci`, or an existing path / one ending in `.aci`.
    static func localPath(_ argument: String) -> String? {
        if argument.hasPrefix("file://") {
            let path = String(argument.dropFirst("file://".count))
            return path.removingPercentEncoding ?? path
        }
        if scheme(of: argument) != nil { return nil }
        if argument.hasPrefix("/") || argument.hasPrefix("./") || argument.hasPrefix("../")
            || argument.hasSuffix(".aci") || FileManager.default.fileExists(atPath: argument) {
            return argument
        }
        return nil
    }

    static func scheme(of argument: String) -> String? {
        guard let range = argument.range(of: "://") else { return nil }
        let scheme = argument[..<range.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }) else { return nil }
        return String(scheme)
    }
}
