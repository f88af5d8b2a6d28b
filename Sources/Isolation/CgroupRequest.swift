import AppC

/// One app's resource isolators, as cgroup settings.
public struct CgroupRequest: Sendable {
    public let app: String
    public var memoryBytes: Int64?
    public var cpuMillicores: Int64?
    public var cpuShares: Int?

    public init(app: String, isolators: [Isolator]) {
        self.app = app
        memoryBytes = isolators.memoryLimitBytes
        cpuMillicores = isolators.cpuLimitMillicores
        for isolator in isolators {
            if case let .cpuShares(shares)? = isolator.known { cpuShares = shares }
        }
    }
}
