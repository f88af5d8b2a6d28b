import AppC
import Foundation
import ImageFetch
import ImageStore

/// ACIs over HTTPS: a URL (`https://…/app.aci`, signature at URL + `.asc`) or an image name found by appc
/// discovery. The downloaded bytes then take the same verified import as a local file.
extension ImageFetcher {
    /// `--pull-policy`: never and new take an image this URL gave before without asking the server; update
    /// trusts it while the server's max-age lasts, then revalidates with its ETag (304: kept).
    func fetchRemoteACI(url: String, signatureURL: String, argument: String) throws -> ImageRecord {
        let downloader = HTTPDownloader(allowHTTP: globals.insecure.allowHTTP, tls: try globals.tlsOptions())
        let now = Int64(Date().timeIntervalSince1970)
        let known = try store.remote(url: url)
        if let known, pullPolicy != "update" || known.remote.isFresh(at: now) {
            globals.debugLog("\(url): using \(known.image.key) from the store (--pull-policy=\(pullPolicy))")
            try store.markUsed(known.image)
            return known.image
        }
        if pullPolicy == "never" {
            throw CommandFailure(message: "image \(argument) not found in the store (--pull-policy=never)")
        }
        let aci = store.temporaryPath("download")
        defer { unlink(aci) }
        let progress = ProgressReporter(label: "downloading \(url)")
        let download: HTTPDownloader.Download
        do {
            download = try downloader.download(url, to: aci, limit: ImageStore.maximumImageSize, etag: known?.remote.etag,
                                               progress: progress.update)
        } catch {
            progress.finish()
            throw CommandFailure(message: "fetching \(argument): \(error)")
        }
        progress.finish()
        if let known, !download.modified {
            globals.debugLog("\(url): not modified (ETag \(known.remote.etag ?? "")); keeping \(known.image.key)")
            try store.saveRemote(RemoteRecord(url: url, key: known.image.key, etag: download.etag ?? known.remote.etag,
                                              maxAge: download.maxAge, fetched: now))
            try store.markUsed(known.image)
            return known.image
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
        let record = try importFile(aci, argument: argument, signature: signature, origin: url)
        try store.saveRemote(RemoteRecord(url: url, key: record.key, etag: download.etag, maxAge: download.maxAge, fetched: now))
        return record
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
        let discovery = AppcDiscovery(downloader: HTTPDownloader(allowHTTP: globals.insecure.allowHTTP, tls: try globals.tlsOptions()))
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
