import Foundation
import ImageFetch
import ImageStore
import OCI

/// `docker://`, `oci-layout:`, `oci-archive:` and `docker-archive:` images. They carry no appc signature, so
/// as in rkt they are fetched only with `--insecure-options=image`.
extension ImageFetcher {
    static func ociReference(_ argument: String) throws -> OCISourceReference? {
        do {
            return try OCISourceReference(parsing: argument)
        } catch {
            throw CommandFailure(message: "\(argument): \(error)")
        }
    }

    func fetchOCI(_ reference: OCISourceReference, argument: String) throws -> ImageRecord {
        if case let .docker(docker) = reference, pullPolicy != "update", docker.digest == nil,
           let name = OCIFetcher.storedName(of: docker), let tag = docker.tag,
           let stored = try store.find(name: name, labels: [try .init("version", tag)]) {
            globals.debugLog("image \(argument) found in the store as \(stored.key)")
            try store.markUsed(stored)
            return stored
        }
        if case .docker = reference, pullPolicy == "never" {
            throw CommandFailure(message: "image \(argument) not found in the store (--pull-policy=never)")
        }
        guard globals.insecure.skipImageVerification else {
            throw CommandFailure(message: """
                fetching \(argument): OCI and docker images carry no appc signature; fetch them with \
                --insecure-options=image
                """)
        }
        var options = RegistryOptions(allowHTTP: globals.insecure.allowHTTP, credentials: try globals.configuration().dockerCredentials)
        options.tls = try globals.tlsOptions()
        options.attempts = 3
        let progress = TransferProgress()
        var fetcher = OCIFetcher(store: store, registryOptions: options) { line in
            progress.finishLine()
            Console.error("rkt: \(argument): \(line)")
        }
        fetcher.byteProgress = { label, bytes, total in progress.update("rkt: \(argument): \(label)", bytes, total) }
        do {
            let result = try fetcher.fetch(reference)
            for warning in result.warnings { Console.error("rkt: warning: \(argument): \(warning)") }
            globals.debugLog("manifest \(result.manifestDigest): \(result.layersFetched) layer(s) fetched, \(result.layersShared) shared")
            return result.record
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "fetching \(argument): \(error)")
        }
    }
}
