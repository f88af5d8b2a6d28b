import AppC
import Foundation
import LinuxSupport

/// The content-addressed image store under rkt's data directory. Safe for several `rkt` processes at once:
/// writers of one image or one tree serialise on flock files, the index is an SQLite database, and every
/// file appears in its final place only by rename after it was completely written and fsync'ed.
public final class ImageStore {
    public let layout: StoreLayout
    let index: ImageIndex
    /// Told what a render leaves out of a tree (device nodes), one line each; rkt shows them with --debug.
    public var renderNote: ((String) -> Void)?

    public init(dataDirectory: String) throws {
        layout = StoreLayout(dataDirectory: dataDirectory)
        for directory in layout.directories {
            try FileSystem.makeDirectories(directory, mode: 0o750)
        }
        index = try ImageIndex(path: layout.database)
    }

    /// Every image in the index, oldest import first.
    public func images() throws -> [ImageRecord] {
        try index.allRecords()
    }

    /// The parsed manifest of an indexed image.
    public func manifest(of record: ImageRecord) throws -> ImageManifest {
        try ImageManifest(jsonData: Data(record.manifestJSON.utf8))
    }

    /// Records that the image was used now (fetch of an existing image, render, run).
    public func markUsed(_ record: ImageRecord) throws {
        try index.touch(key: record.key, at: Self.now())
    }

    /// Runs `body` with the image's lock held; readers take it shared, writers and removers exclusive.
    func withImageLock<R>(key: String, _ mode: FileLock.Mode, _ body: () throws -> R) throws -> R {
        let lock = try FileLock(path: layout.imageLock(key: key))
        try lock.lock(mode)
        return try body()
    }

    /// Unix time in nanoseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// A fresh unique path under `cas/tmp` (named `purpose-PID-RANDOM`, so `rkt image gc` removes it once
    /// the process is gone).
    public func temporaryPath(_ purpose: String) -> String {
        layout.temporary + "/\(purpose)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }
}
