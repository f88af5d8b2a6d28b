import Foundation
import ImageStore

/// Turns an image argument into a stored image: local files are imported, names are looked up in the store.
/// Remote transports (https://, docker://, appc discovery) arrive with their own issue and are refused here
/// with a message saying so.
struct ImageFetcher {
    let store: ImageStore
    let globals: GlobalOptions
    let pullPolicy: String

    func fetch(_ argument: String) throws -> ImageRecord {
        if let path = Self.localPath(argument) {
            return try importFile(path, argument: argument)
        }
        if let scheme = Self.scheme(of: argument) {
            throw CommandFailure(message: "fetching \(argument): the \(scheme):// transport is not supported yet")
        }
        if let record = try? store.resolve(argument) {
            globals.debugLog("image \(argument) found in the store as \(record.key)")
            try store.markUsed(record)
            return record
        }
        if pullPolicy == "never" {
            throw CommandFailure(message: "image \(argument) not found in the store (--pull-policy=never)")
        }
        throw CommandFailure(message: """
            image \(argument) is not in the store and appc discovery is not supported yet; \
            fetch it from a file instead (rkt fetch --insecure-options=image ./image.aci)
            """)
    }

    private func importFile(_ path: String, argument: String) throws -> ImageRecord {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(message: "fetching \(argument): \(path): no such file")
        }
        guard globals.insecure.skipImageVerification else {
            throw CommandFailure(message: """
                fetching \(argument): image signature verification is required, and rkt cannot verify \
                signatures yet; to fetch this image without verification, pass --insecure-options=image
                """)
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let progress = ProgressReporter(label: "importing \(path)")
        globals.debugLog("importing \(absolute)")
        let result = try store.importACI(path: absolute, origin: "file://" + absolute, progress: progress.update)
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
