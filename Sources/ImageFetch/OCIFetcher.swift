import Foundation
import ImageArchive
import ImageStore
import LinuxSupport
import OCI

/// `rkt fetch` for OCI / docker images: builds the source a reference names and imports the image.
public struct OCIFetcher {
    public let store: ImageStore
    public var progress: (String) -> Void
    public var registryOptions: RegistryOptions
    /// See `OCIImageImporter.byteProgress`.
    public var byteProgress: ((_ label: String, _ bytes: Int64, _ total: Int64) -> Void)?

    public init(store: ImageStore, registryOptions: RegistryOptions = RegistryOptions(), progress: @escaping (String) -> Void = { _ in }) {
        self.store = store
        self.registryOptions = registryOptions
        self.progress = progress
    }

    public func fetch(_ reference: OCISourceReference) throws -> OCIImageImporter.Result {
        var importer = OCIImageImporter(store: store, progress: progress)
        importer.byteProgress = byteProgress
        switch reference {
        case let .ociLayout(path, tag):
            let absolute = Self.absolute(path)
            guard FileSystem.isDirectory(absolute) else { throw FetchError.invalidSource(path, reason: "not a directory") }
            let source = OCILayoutSource(directory: absolute, tag: tag, origin: "oci-layout:" + absolute + (tag.map { ":" + $0 } ?? ""))
            return try importer.importImage(from: source, name: Self.localName(absolute), tag: try source.effectiveTag())
        case let .ociArchive(path, tag):
            let absolute = Self.absolute(path)
            return try withUnpackedArchive(absolute) { directory in
                let source = OCILayoutSource(directory: directory, tag: tag, origin: "oci-archive:" + absolute + (tag.map { ":" + $0 } ?? ""))
                return try importer.importImage(from: source, name: Self.localName(absolute), tag: try source.effectiveTag())
            }
        case let .dockerArchive(path):
            let absolute = Self.absolute(path)
            return try withUnpackedArchive(absolute) { directory in
                let source = try DockerArchiveSource(directory: directory, origin: "docker-archive:" + absolute)
                if let repositoryTag = source.repositoryTag, let named = try? DockerReference(parsing: repositoryTag) {
                    return try importer.importImage(
                        from: source, name: named.registry + "/" + named.repository, tag: named.tag)
                }
                return try importer.importImage(from: source, name: Self.localName(absolute), tag: nil)
            }
        case let .docker(reference):
            let client = try RegistryClient(reference: reference, options: registryOptions)
            let source = RegistrySource(client: client, reference: reference)
            return try importer.importImage(
                from: source, name: reference.registry + "/" + reference.repository, tag: reference.tag,
                annotations: [("appc.io/docker/registryurl", reference.registry),
                              ("appc.io/docker/repository", reference.repository)]
                    + (reference.tag.map { [("appc.io/docker/tag", $0)] } ?? []))
        }
    }

    /// The appc name a docker:// reference's image is stored under (for `--pull-policy=new` lookups).
    public static func storedName(of reference: DockerReference) -> String? {
        AppCImageConversion.sanitizedIdentifier(reference.registry + "/" + reference.repository)
    }

    /// Unpacks a tar (compressed or not) into a private directory under the store's tmp, with the
    /// hostile-archive rules of the renderer, and removes it afterwards.
    private func withUnpackedArchive<R>(_ path: String, _ body: (String) throws -> R) throws -> R {
        guard FileSystem.exists(path) else { throw FetchError.invalidSource(path, reason: "no such file") }
        let directory = store.temporaryPath("archive")
        defer { try? FileSystem.removeTree(directory) }
        try FileSystem.makeDirectories(directory, mode: 0o700)
        do {
            try TreeRenderer().render(layer: path, into: directory)
        } catch let error as ImageArchiveError {
            throw FetchError.invalidSource(path, reason: error.description)
        }
        return try body(directory)
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Local images are named after their file or directory (`/tmp/busybox.tar` → `busybox`).
    static func localName(_ path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for suffix in [".tar.gz", ".tgz", ".tar"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        return AppCImageConversion.sanitizedIdentifier(name) ?? "image"
    }
}
