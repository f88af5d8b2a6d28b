/// An archive path checked and split into components: never absolute, no `..`, no empty or `.`
/// components left, every component a valid file name, length within the limits.
struct EntryPath: Equatable {
    /// The normalized components, e.g. ["rootfs", "bin", "sh"] for "./rootfs//bin/./sh".
    let components: [String]

    init(_ archivePath: String, limits: RenderLimits) throws {
        let bytes = archivePath.utf8
        guard bytes.count <= limits.maxPathLength else {
            throw ImageArchiveError.limitExceeded(
                entry: Self.abbreviated(archivePath),
                reason: "path is \(bytes.count) bytes, over the limit of \(limits.maxPathLength)")
        }
        guard bytes.first != UInt8(ascii: "/") else {
            throw ImageArchiveError.unsafeEntry(entry: archivePath, reason: "absolute path")
        }
        var components: [String] = []
        for component in archivePath.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            guard component != ".." else {
                throw ImageArchiveError.unsafeEntry(entry: archivePath, reason: "path contains a \"..\" component")
            }
            guard component.utf8.count <= limits.maxNameLength else {
                throw ImageArchiveError.limitExceeded(
                    entry: Self.abbreviated(archivePath),
                    reason: "a path component is over the limit of \(limits.maxNameLength) bytes")
            }
            components.append(String(component))
        }
        self.components = components
    }

    /// The path below `rootfs/` ("bin/sh"), nil for entries outside it, [] for rootfs itself.
    var rootfsRelative: [String]? {
        guard components.first == "rootfs" else { return nil }
        return Array(components.dropFirst())
    }

    /// Keeps error messages readable when a hostile path is megabytes long.
    static func abbreviated(_ path: String) -> String {
        path.utf8.count <= 300 ? path : String(path.prefix(200)) + "…(\(path.utf8.count) bytes)"
    }
}
