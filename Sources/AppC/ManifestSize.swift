import Foundation

/// The size bound applied to manifest bytes before they are parsed.
enum ManifestSize {
    static func check(_ data: Data, limit: Int) throws {
        guard data.count <= limit else {
            throw ValidationError(path: "", message: "manifest is \(data.count) bytes, more than the \(limit >> 20) MiB limit")
        }
    }
}
