extension Array where Element == Isolator {
    /// The `resource/memory` limit in bytes, if one is set.
    public var memoryLimitBytes: Int64? {
        for isolator in self {
            if case let .resourceMemory(limits)? = isolator.known, let limit = limits.limit { return limit.value }
        }
        return nil
    }

    /// The `resource/cpu` limit in millicores (1000 = one core), if one is set.
    public var cpuLimitMillicores: Int64? {
        for isolator in self {
            if case let .resourceCPU(limits)? = isolator.known, let limit = limits.limit { return limit.milliValue }
        }
        return nil
    }

    /// Replaces every isolator named like `isolator` (and those it conflicts with) by `isolator`,
    /// the way rkt applies `--memory`, `--cpu`, `--caps-retain` ... over an image's own isolators.
    public mutating func replace(with isolator: Isolator) {
        let names = Set([isolator.name.value] + (isolator.known?.conflictingNames ?? []))
        removeAll { names.contains($0.name.value) }
        append(isolator)
    }
}
