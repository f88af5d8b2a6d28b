import Glibc

/// Where pods' cgroups go: below `rkt` in each hierarchy, or below the relative path that `RKT_CGROUP_PARENT`
/// names in stage1's environment (`rkt run` passes its environment on), so that whoever runs the pods (a test
/// suite, a service manager) owns a subtree it can account for and remove.
extension PodCgroup {
    public static let defaultParent = "rkt"
    public static let parentVariable = "RKT_CGROUP_PARENT"

    /// The parent named by `RKT_CGROUP_PARENT` (leading and trailing slashes dropped), or `rkt` when unset or
    /// empty; an invalid value is refused with a message naming the variable.
    public static func parent(environmentValue value: String?) throws -> String {
        guard let value else { return defaultParent }
        var trimmed = Substring(value)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty { return defaultParent }
        guard isValidParent(String(trimmed)) else { throw IsolationError(invalidParentMessage(value)) }
        return String(trimmed)
    }

    /// The parent configured for this process (`RKT_CGROUP_PARENT`).
    public static func configuredParent() throws -> String {
        try parent(environmentValue: getenv(parentVariable).map { String(cString: $0) })
    }

    /// A relative path of at most 8 components of letters, digits, `.`, `_`, `-`, `@` and `:` (no `.` or `..`
    /// component, no empty one), at most 255 bytes.
    public static func isValidParent(_ parent: String) -> Bool {
        guard !parent.isEmpty, parent.utf8.count <= 255 else { return false }
        let components = parent.split(separator: "/", omittingEmptySubsequences: false)
        guard components.count <= 8 else { return false }
        return components.allSatisfy { component in
            !component.isEmpty && component != "." && component != ".."
                && component.utf8.allSatisfy { byte in
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                        || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: ":")].contains(byte)
                }
        }
    }

    static func invalidParentMessage(_ value: String) -> String {
        "\(parentVariable)=\(value.debugDescription): a relative cgroup path is expected (up to 8 components of letters, digits, '.', '_', '-', '@', ':'; no '..')"
    }
}
