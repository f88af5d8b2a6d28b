import AppC

/// rkt's per-app isolator flags (given after an image): `--memory`, `--cpu`, `--cpu-shares`,
/// `--oom-score-adj`, `--caps-retain`, `--caps-remove`, `--seccomp mode=retain|remove[,errno=ENAME],SYSCALL…`,
/// `--readonly-rootfs[=BOOL]`, `--supplementary-gids=GID,…`. Each replaces the image's isolator of the same
/// kind (and the one it conflicts with), as in rkt.
public struct IsolatorOptions: Equatable, Sendable {
    public var memory: String?
    public var cpu: String?
    public var cpuShares: Int?
    public var oomScoreAdj: Int?
    public var capsRetain: [String]?
    public var capsRemove: [String]?
    public var seccomp: SeccompSet?
    public var seccompMode: String?
    public var readOnlyRootFS: Bool?
    public var supplementaryGIDs: [Int]?

    public init() {}

    /// Flags that take a value.
    static let valued: Set<String> = [
        "memory", "cpu", "cpu-shares", "oom-score-adj", "caps-retain", "caps-remove", "seccomp", "supplementary-gids",
    ]
    /// Flags that may stand alone (`--readonly-rootfs` means `--readonly-rootfs=true`).
    static let boolean: Set<String> = ["readonly-rootfs"]

    mutating func apply(_ flag: String, _ value: String) throws {
        func integer(_ text: String) throws -> Int {
            guard let number = Int(text) else { throw RunArgumentError("--\(flag) \(value.debugDescription): expected an integer") }
            return number
        }
        func list() throws -> [String] {
            let items = value.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !items.isEmpty else { throw RunArgumentError("--\(flag) needs a comma-separated list") }
            return items
        }
        switch flag {
        case "memory": memory = value
        case "cpu": cpu = value
        case "cpu-shares": cpuShares = try integer(value)
        case "oom-score-adj": oomScoreAdj = try integer(value)
        case "caps-retain": capsRetain = try list()
        case "caps-remove": capsRemove = try list()
        case "supplementary-gids": supplementaryGIDs = try list().map(integer)
        case "readonly-rootfs":
            guard let flagValue = Bool(value) else { throw RunArgumentError("--readonly-rootfs \(value.debugDescription): expected true or false") }
            readOnlyRootFS = flagValue
        case "seccomp": try parseSeccomp(value)
        default: throw RunArgumentError("unknown flag --\(flag)")
        }
    }

    /// `mode=retain|remove[,errno=ENAME],SYSCALL|@GROUP…`.
    private mutating func parseSeccomp(_ value: String) throws {
        var mode: String?
        var errnoName: String?
        var syscalls: [String] = []
        for item in value.split(separator: ",").map(String.init) where !item.isEmpty {
            if item.hasPrefix("mode=") {
                mode = String(item.dropFirst(5))
            } else if item.hasPrefix("errno=") {
                errnoName = String(item.dropFirst(6))
            } else {
                syscalls.append(item)
            }
        }
        guard let mode, mode == "retain" || mode == "remove" else {
            throw RunArgumentError("--seccomp \(value.debugDescription): expected mode=retain or mode=remove first")
        }
        guard !syscalls.isEmpty else { throw RunArgumentError("--seccomp \(value.debugDescription): no syscalls given") }
        seccompMode = mode
        seccomp = SeccompSet(syscalls: syscalls, errno: errnoName)
    }

    /// The isolators these flags stand for, validated like the image's own.
    public func isolators() throws -> [Isolator] {
        var result: [KnownIsolator] = []
        do {
            if let memory { result.append(.resourceMemory(ResourceLimits(limit: try ResourceQuantity(memory)))) }
            if let cpu { result.append(.resourceCPU(ResourceLimits(limit: try ResourceQuantity(cpu)))) }
        } catch {
            throw RunArgumentError("--memory/--cpu: \(error)")
        }
        if let cpuShares { result.append(.cpuShares(cpuShares)) }
        if let oomScoreAdj { result.append(.oomScoreAdj(oomScoreAdj)) }
        if let capsRetain { result.append(.capabilitiesRetainSet(capsRetain)) }
        if let capsRemove { result.append(.capabilitiesRemoveSet(capsRemove)) }
        if let seccomp { result.append(seccompMode == "remove" ? .seccompRemoveSet(seccomp) : .seccompRetainSet(seccomp)) }
        return try result.map { known in
            do {
                return try Isolator(known)
            } catch {
                throw RunArgumentError("isolator \(known.name): \(error)")
            }
        }
    }

    /// Puts the flags into an app: isolators replace the image's of the same kind; groups are replaced.
    public func apply(to app: inout App) throws {
        for isolator in try isolators() { app.isolators.replace(with: isolator) }
        if let supplementaryGIDs { app.supplementaryGIDs = supplementaryGIDs }
    }
}
