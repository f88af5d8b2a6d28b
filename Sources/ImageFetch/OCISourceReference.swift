import Foundation
import OCI

/// An image argument naming an OCI / docker image: `docker://[REGISTRY/]NAME[:TAG|@DIGEST]`,
/// `oci-layout:PATH[:TAG]` (or skopeo's spelling `oci:PATH[:TAG]`), `oci-archive:FILE[:TAG]`, `docker-archive:FILE`.
public enum OCISourceReference: Equatable, Sendable {
    case docker(DockerReference)
    case ociLayout(path: String, tag: String?)
    case ociArchive(path: String, tag: String?)
    case dockerArchive(path: String)

    /// nil when `argument` uses none of these transports; throws when it does but is malformed.
    public init?(parsing argument: String) throws {
        if argument.hasPrefix("docker://") {
            self = .docker(try DockerReference(parsing: String(argument.dropFirst("docker://".count))))
        } else if let prefix = ["oci-layout:", "oci:"].first(where: argument.hasPrefix) {
            let (path, tag) = try Self.pathAndTag(String(argument.dropFirst(prefix.count)), argument: argument)
            self = .ociLayout(path: path, tag: tag)
        } else if argument.hasPrefix("oci-archive:") {
            let (path, tag) = try Self.pathAndTag(String(argument.dropFirst("oci-archive:".count)), argument: argument)
            self = .ociArchive(path: path, tag: tag)
        } else if argument.hasPrefix("docker-archive:") {
            let path = String(argument.dropFirst("docker-archive:".count))
            guard !path.isEmpty else { throw FetchError.invalidSource(argument, reason: "no file given") }
            self = .dockerArchive(path: path)
        } else {
            return nil
        }
    }

    /// `PATH[:TAG]` as skopeo reads it: the text after the last `:` is a tag when it is a valid one
    /// and holds no `/`.
    static func pathAndTag(_ text: String, argument: String) throws -> (String, String?) {
        var path = text
        var tag: String?
        if let colon = text.lastIndex(of: ":") {
            let candidate = String(text[text.index(after: colon)...])
            if !candidate.contains("/"), DockerReference.isValidTag(candidate) {
                tag = candidate
                path = String(text[..<colon])
            }
        }
        guard !path.isEmpty else { throw FetchError.invalidSource(argument, reason: "no path given") }
        return (path, tag)
    }
}
