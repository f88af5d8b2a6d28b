import ArgumentParser
import ImageStore
import ImageTrust

/// `rkt image verify [IMAGE…]`: checks stored images' kept signatures again against the keys trusted now.
struct ImageVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the signatures of images in the local store against the currently trusted keys.",
        discussion: """
            Each image fetched with signature checking keeps its signature in the store; this checks it again \
            (a key removed or revoked since the fetch makes it fail). Images fetched with \
            --insecure-options=image have no signature and fail. Without arguments every stored image is checked.
            """)

    @OptionGroup var globals: GlobalOptions

    @Argument(help: "Image IDs (sha512-…, any unique prefix) or names[:version]; default: all images.")
    var images: [String] = []

    func run() throws {
        let store = try globals.openStore()
        let verifier = try SignatureVerifier(keyStore: globals.trustedKeyStore())
        var failures = 0
        var records: [(String, ImageRecord?)] = []
        if images.isEmpty {
            records = try store.images().map { ($0.key, $0) }
        } else {
            for image in images { records.append((image, try? store.resolve(image))) }
        }
        for (argument, record) in records {
            do {
                guard let record else { throw CommandFailure(message: "image \(argument) not found in the store") }
                print(try verify(record, store: store, verifier: verifier))
            } catch {
                Console.error("rkt: \(argument): \((error as? CommandFailure)?.message ?? "\(error)")")
                failures += 1
            }
        }
        if failures > 0 { throw CommandFailure(message: "\(failures) of \(records.count) image(s) failed verification") }
    }

    private func verify(_ record: ImageRecord, store: ImageStore, verifier: SignatureVerifier) throws -> String {
        // Under the image's shared lock, so `rkt image rm` cannot delete the files mid-check.
        let (check, signatureFile) = try store.withBlob(of: record) { _ -> (SignatureVerifier.Check, String) in
            guard let files = try store.signatureFiles(of: record) else {
                throw CommandFailure(message: """
                    image \(record.name) (\(record.key)) has no kept signature: it was fetched with \
                    --insecure-options=image
                    """)
            }
            let signature = try SignatureVerifier.readSignature(files.signature)
            return (try verifier.check(signedFile: files.signed, signature: signature, imageName: record.name),
                    files.signature)
        }
        guard let key = check.signingKey else {
            throw CommandFailure(message: SignatureFailure.message(
                image: record.key, name: record.name, signature: signatureFile, check: check))
        }
        return "\(record.key) \(record.name): good signature by \(key.fingerprint.hex) (\(key.scope))"
    }
}
