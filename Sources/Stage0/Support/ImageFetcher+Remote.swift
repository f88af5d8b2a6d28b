import AppC
import Foundation
import ImageFetch
import ImageStore

/// ACIs over HTTPS: a URL (`https://…/app.aci`, signature at URL + `.asc`) or an image name found by appc
/// discovery. The downloaded bytes then take the same verified import as a local file.
extension ImageFetcher {
    func fetchRemoteACI(url: String, signatureURL: String, argument: String) throws -> ImageRecord {
        let downloader = HTTPDownloader(allowHTTP: globals.insecure.allowHTTP)
        let aci = store.temporaryPath("download")
        defer { unlink(aci) }
        let progress = ProgressReporter(label: "downloading \(url)")
        do {
            try downloader.download(url, to: aci, limit: ImageStore.maximumImageSize, progress: progress.update)
        } catch {
            throw CommandFailure(message: "fetching \(argument): \(error)")
        }
        var signature: String?
        let signatureFile = store.temporaryPath("download-asc")
        defer { unlink(signatureFile) }
        if !globals.insecure.skipImageVerification {
            let bytes: [UInt8]?
            do {
                bytes = try downloader.get(signatureURL, limit: 1 << 20)
            } catch {
                throw CommandFailure(message: "fetching \(argument): signature \(signatureURL): \(error)")
            }
            guard let bytes else {
                throw CommandFailure(message: """
                    fetching \(argument): no signature at \(signatureURL); images must be signed, or fetched \
                    without verification with --insecure-options=image
                    """)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: signatureFile))
            signature = signatureFile
        }
        return try importFile(aci, argument: argument, signature: signature, origin: url)
    }

    /// `example.com/app:1.0` not in the store: appc discovery names the ACI and signature URLs.
    func fetchByDiscovery(_ argument: String) throws -> ImageRecord {
        if pullPolicy == "never" {
            throw CommandFailure(message: "image \(argument) not found in the store (--pull-policy=never)")
        }
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: argument)
        } catch {
            throw CommandFailure(message: "\(argument) is neither a file, a URL nor an image name: \(error)")
        }
        var labels: [String: String] = [:]
        for label in reference.labels { labels[label.name.value] = label.value }
        let discovery = AppcDiscovery(downloader: HTTPDownloader(allowHTTP: globals.insecure.allowHTTP))
        let endpoints: AppcDiscovery.Endpoints
        do {
            endpoints = try discovery.discover(name: reference.name.value, labels: labels)
        } catch {
            throw CommandFailure(message: "image \(argument) is not in the store and \(error)")
        }
        globals.debugLog("discovery: \(argument) -> \(endpoints.aci) (signature \(endpoints.signature))")
        return try fetchRemoteACI(url: endpoints.aci, signatureURL: endpoints.signature, argument: argument)
    }
}
