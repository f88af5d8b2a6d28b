import AppC
import Foundation

extension ImageStore {
    /// Finds one image by ID (`sha512-` + any prefix of its hash, full appc IDs included) or by name with
    /// optional labels (`example.com/app:1.0`, `example.com/app,version=1.0,arch=amd64`). Among several images of
    /// one name that match the labels, the most recently imported wins, as in rkt.
    public func resolve(_ reference: String) throws -> ImageRecord {
        if let hexPrefix = ImageKey.hexPrefix(of: reference) {
            let matches = try index.records(keyHexPrefix: hexPrefix)
            switch matches.count {
            case 0: throw StoreError.imageNotFound(reference)
            case 1: return matches[0]
            default: throw StoreError.ambiguousReference(reference, candidates: matches.map(\.key))
            }
        }
        let parsed: ImageReference
        do {
            parsed = try ImageReference(parsing: reference)
        } catch {
            throw StoreError.invalidReference(reference)
        }
        guard let record = try find(name: parsed.name.description, labels: parsed.labels) else {
            throw StoreError.imageNotFound(reference)
        }
        return record
    }

    /// The newest image called `name` whose manifest carries every label in `labels`.
    public func find(name: String, labels: [Label]) throws -> ImageRecord? {
        for record in try index.records(named: name) where try manifest(of: record).labels.satisfies(labels) {
            return record
        }
        return nil
    }

    /// Reads the stored ACI blob's bytes through `body`, holding the image's lock shared so that a concurrent
    /// `rkt image rm` waits until the reader is done.
    public func withBlob<R>(of record: ImageRecord, _ body: (String) throws -> R) throws -> R {
        try withImageLock(key: record.key, .shared) {
            let path = layout.blobPath(key: record.key)
            guard try index.record(key: record.key) != nil else { throw StoreError.imageNotFound(record.key) }
            return try body(path)
        }
    }
}
