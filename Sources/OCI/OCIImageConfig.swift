/// The parts of an image config (OCI config.md / docker's image JSON) that say how to run the image.
public struct OCIImageConfig: Equatable, Sendable {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var created: String?
    public var entrypoint: [String]
    public var cmd: [String]
    /// `NAME=VALUE` entries as written.
    public var env: [String]
    public var workingDir: String?
    public var user: String?
    /// `80/tcp`, `53/udp`, `8000-8010/tcp`.
    public var exposedPorts: [String]
    public var volumes: [String]
    public var labels: [(key: String, value: String)]
    /// The uncompressed layer digests (rootfs.diff_ids).
    public var diffIDs: [OCIDigest]

    public static let maximumSize = 8 << 20

    public init(os: String = "linux", architecture: String = "amd64", entrypoint: [String] = [], cmd: [String] = [],
                env: [String] = [], workingDir: String? = nil, user: String? = nil, exposedPorts: [String] = [],
                volumes: [String] = [], labels: [(key: String, value: String)] = [], diffIDs: [OCIDigest] = []) {
        self.os = os
        self.architecture = architecture
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.exposedPorts = exposedPorts
        self.volumes = volumes
        self.labels = labels
        self.diffIDs = diffIDs
    }

    public init(bytes: [UInt8], document: String = "image config") throws {
        let reader = try OCIJSONReader.parse(bytes, document: document, limit: Self.maximumSize)
        os = try reader.requiredString("os")
        architecture = try reader.requiredString("architecture")
        variant = try reader.optionalString("variant")
        created = try reader.optionalString("created")
        let config = try reader.optionalObject("config")
        entrypoint = try config?.stringList("Entrypoint") ?? []
        cmd = try config?.stringList("Cmd") ?? []
        env = try config?.stringList("Env", limit: 16384) ?? []
        workingDir = try config?.optionalString("WorkingDir")
        user = try config?.optionalString("User")
        exposedPorts = try config?.keySet("ExposedPorts") ?? []
        volumes = try config?.keySet("Volumes") ?? []
        labels = try config?.stringMap("Labels") ?? []
        let rootfs = try reader.optionalObject("rootfs")
        diffIDs = try rootfs?.list("diff_ids", limit: OCIManifest.maximumLayers) { value, path in
            guard let text = value.stringValue, let digest = try? OCIDigest(text) else {
                throw OCIError.invalidDocument(document: document, field: path, reason: "expected a digest string")
            }
            return digest
        } ?? []
    }

    public static func == (lhs: OCIImageConfig, rhs: OCIImageConfig) -> Bool {
        lhs.os == rhs.os && lhs.architecture == rhs.architecture && lhs.variant == rhs.variant
            && lhs.created == rhs.created && lhs.entrypoint == rhs.entrypoint && lhs.cmd == rhs.cmd
            && lhs.env == rhs.env && lhs.workingDir == rhs.workingDir && lhs.user == rhs.user
            && lhs.exposedPorts == rhs.exposedPorts && lhs.volumes == rhs.volumes
            && lhs.labels.elementsEqual(rhs.labels, by: { $0.key == $1.key && $0.value == $1.value })
            && lhs.diffIDs == rhs.diffIDs
    }
}
