import AppC
import Foundation

/// Maps an OCI / docker image onto an appc image manifest, the way users of docker images expect:
/// Entrypoint+Cmd → exec, Env, WorkingDir, User[:Group], ExposedPorts → ports named `80-tcp`, Volumes →
/// mount points, config labels → annotations; name from the reference, labels version (the tag), os, arch.
/// The stored manifest also names the image's layers (`layersAnnotation`), lowest first.
public struct AppCImageConversion {
    /// Space-separated layer digests (lowest first) of an image stored as layers.
    public static let layersAnnotation = "coreos.com/rkt/oci/layers"
    public static let manifestDigestAnnotation = "appc.io/docker/manifesthash"

    public var config: OCIImageConfig
    /// The image name as referenced (`127.0.0.1:5000/x`, `docker.io/library/busybox`), sanitized into an AC identifier.
    public var name: String
    public var tag: String?
    public var manifestDigest: OCIDigest
    public var layers: [OCIDigest]
    /// Extra annotations describing where the image came from (registry URL, repository...).
    public var originAnnotations: [(String, String)]

    public init(config: OCIImageConfig, name: String, tag: String?, manifestDigest: OCIDigest, layers: [OCIDigest],
                originAnnotations: [(String, String)] = []) {
        self.config = config
        self.name = name
        self.tag = tag
        self.manifestDigest = manifestDigest
        self.layers = layers
        self.originAnnotations = originAnnotations
    }

    /// The manifest, plus what could not be carried over (invalid env names, label names...).
    public func manifest() throws -> (manifest: ImageManifest, warnings: [String]) {
        var warnings: [String] = []
        guard let sanitized = Self.sanitizedIdentifier(name), let identifier = try? ACIdentifier(sanitized) else {
            throw OCIError.invalidReference(name, reason: "cannot be turned into an appc image name")
        }
        var labels: [Label] = []
        if let tag { labels.append(try Label("version", tag)) }
        let arch = Self.appcArch(config.architecture, variant: config.variant)
        if let arches = OSArch.valid[config.os] {
            labels.append(try Label("os", config.os))
            if let arch, arches.contains(arch) {
                labels.append(try Label("arch", arch))
            } else {
                warnings.append("architecture \(config.architecture) has no appc name; no arch label")
            }
        } else {
            warnings.append("os \(config.os) is not an appc os; no os/arch labels")
        }

        var annotations: [Annotation] = []
        func annotate(_ name: String, _ value: String) {
            guard let identifier = try? ACIdentifier(name) else { return }
            guard !annotations.contains(where: { $0.name == identifier }) else { return }
            let candidate = Annotation(name: identifier, value: value)
            guard (try? ImageManifest(name: identifier, annotations: annotations + [candidate]).validate()) != nil else {
                warnings.append("annotation \(name)=\(value) is not valid here; dropped")
                return
            }
            annotations.append(candidate)
        }
        if let created = config.created { annotate("created", created) }
        for (key, value) in originAnnotations { annotate(key, value) }
        annotate(Self.manifestDigestAnnotation, manifestDigest.description)
        annotate(Self.layersAnnotation, layers.map(\.description).joined(separator: " "))
        if !config.entrypoint.isEmpty { annotate("appc.io/docker/entrypoint", Self.jsonArray(config.entrypoint)) }
        if !config.cmd.isEmpty { annotate("appc.io/docker/cmd", Self.jsonArray(config.cmd)) }
        for (key, value) in config.labels {
            guard let labelName = Self.sanitizedIdentifier(key) else {
                warnings.append("label \(key) has no valid annotation name; dropped")
                continue
            }
            annotate(labelName, value)
        }

        let app = try makeApp(warnings: &warnings)
        let manifest = ImageManifest(name: identifier, labels: labels, app: app, annotations: annotations)
        do {
            try manifest.validate()
        } catch let error as AppC.ValidationError {
            throw OCIError.invalidDocument(document: "converted image manifest", field: error.path, reason: error.message)
        }
        return (manifest, warnings)
    }

    private func makeApp(warnings: inout [String]) throws -> App {
        let (user, group) = Self.userAndGroup(config.user)
        var environment: [EnvironmentVariable] = []
        for entry in config.env {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard EnvironmentVariable.isValidName(name) else {
                warnings.append("environment variable \"\(name)\" has an invalid name; dropped")
                continue
            }
            let value = parts.count > 1 ? String(parts[1]) : ""
            environment.removeAll { $0.name == name }
            environment.append(EnvironmentVariable(name: name, value: value))
        }
        var workingDirectory = config.workingDir.flatMap { $0.isEmpty ? nil : $0 }
        if let directory = workingDirectory, !directory.hasPrefix("/") { workingDirectory = "/" + directory }

        var ports: [AppC.Port] = []
        for text in config.exposedPorts {
            guard let port = Self.port(text) else {
                warnings.append("exposed port \"\(text)\" is not PORT[-END]/PROTO; dropped")
                continue
            }
            if !ports.contains(where: { $0.name == port.name }) { ports.append(port) }
        }
        var mountPoints: [MountPoint] = []
        for path in config.volumes {
            let clean = "/" + path.split(separator: "/").joined(separator: "/")
            guard !path.split(separator: "/").contains(".."),
                  let name = ACName.sanitized("volume-" + clean), !mountPoints.contains(where: { $0.name == name }) else {
                warnings.append("volume \"\(path)\" has no usable mount point name; dropped")
                continue
            }
            mountPoints.append(MountPoint(name: name, path: clean))
        }
        return App(exec: config.entrypoint + config.cmd, user: user, group: group, workingDirectory: workingDirectory,
                   environment: environment, mountPoints: mountPoints, ports: ports)
    }

    /// docker's `User`: `name`, `uid`, `user:group`; empty means root.
    static func userAndGroup(_ text: String?) -> (String, String) {
        guard let text, !text.isEmpty else { return ("0", "0") }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let user = parts[0].isEmpty ? "0" : parts[0]
        let group = parts.count > 1 && !parts[1].isEmpty ? parts[1] : "0"
        return (user, group)
    }

    /// `80/tcp` → `80-tcp` (protocol tcp, port 80); `8000-8010/udp` → count 11. A missing protocol is tcp.
    static func port(_ text: String) -> AppC.Port? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let proto = parts.count > 1 ? parts[1].lowercased() : "tcp"
        guard ["tcp", "udp", "sctp"].contains(proto) else { return nil }
        let range = parts[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { Int($0) }
        guard let low = range[0], (1...65535).contains(low) else { return nil }
        var count = 1
        if range.count == 2 {
            guard let high = range[1], (low...65535).contains(high) else { return nil }
            count = high - low + 1
        }
        guard let name = try? ACName(parts[0] + "-" + proto) else { return nil }
        return AppC.Port(name: name, protocol: proto, port: low, count: count)
    }

    /// Docker/Go architecture names to appc's.
    static func appcArch(_ architecture: String, variant: String?) -> String? {
        switch architecture {
        case "amd64": return "amd64"
        case "386": return "i386"
        case "arm64": return "aarch64"
        case "arm": return variant == "v6" ? "armv6l" : "armv7l"
        case "ppc64le", "s390x", "ppc64": return architecture
        default: return nil
        }
    }

    /// Lowercase; every run of characters outside `[a-z0-9]` becomes one separator (kept when it is one of
    /// `-._~/`, `-` otherwise); separators at the ends are dropped. Nil when nothing valid remains.
    public static func sanitizedIdentifier(_ text: String) -> String? {
        let allowedSeparators: Set<Character> = ["-", ".", "_", "~", "/"]
        var out = ""
        var pending: Character?
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                if let separator = pending, !out.isEmpty { out.append(separator) }
                pending = nil
                out.append(character)
            } else if pending == nil {
                pending = allowedSeparators.contains(character) ? character : "-"
            }
        }
        return ACIdentifier.isValid(out) ? out : nil
    }

    private static func jsonArray(_ strings: [String]) -> String {
        JSONValue.array(strings.map { .string($0) }).serialized(pretty: false)
    }
}
