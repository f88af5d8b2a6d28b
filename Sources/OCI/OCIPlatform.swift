/// The platform of an index entry (`os`, `architecture`, `variant`).
public struct OCIPlatform: Equatable, Sendable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    init(_ reader: OCIJSONReader) throws {
        os = try reader.requiredString("os")
        architecture = try reader.requiredString("architecture")
        variant = try reader.optionalString("variant")
    }

    /// linux/amd64: what this runtime runs (the VMM and the fly flavor are x86-64 only).
    public static let linuxAMD64 = OCIPlatform(os: "linux", architecture: "amd64")

    public var description: String { os + "/" + architecture + (variant.map { "/" + $0 } ?? "") }
}
