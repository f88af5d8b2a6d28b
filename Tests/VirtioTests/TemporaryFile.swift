import Foundation

/// A file in a fresh temporary directory, removed when the value is released.
final class TemporaryFile {
    let directory: URL
    let path: String

    init(contents: [UInt8]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("virtio-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("disk.img").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
    }

    var contents: [UInt8] { (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? [] }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}
