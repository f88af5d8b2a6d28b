import AppC

/// One app's resource isolators, as cgroup settings.
struct CgroupRequest {
    let app: String
    var memoryBytes: Int64?
    var cpuMillicores: Int64?
    var cpuShares: Int?

    init(app: String, isolators: [Isolator]) {
        self.app = app
        memoryBytes = isolators.memoryLimitBytes
        cpuMillicores = isolators.cpuLimitMillicores
        for isolator in isolators {
            if case let .cpuShares(shares)? = isolator.known { cpuShares = shares }
        }
    }
}
