/// The os/arch label combinations appc 0.8.11 whitelists (schema/types/labels.go `ValidOSArch`),
/// plus the mapping from appc arch names to what Linux's `uname -m` says on the same machine.
public enum OSArch {
    public static let valid: [String: [String]] = [
        "linux": ["amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64", "ppc64le", "s390x"],
        "freebsd": ["amd64", "i386", "arm"],
        "darwin": ["x86_64", "i386"],
    ]

    /// The appc `arch` label for a `uname -m` machine name (`x86_64` → `amd64`), nil when unknown.
    public static func appcArch(forMachine machine: String) -> String? {
        switch machine {
        case "x86_64": return "amd64"
        case "i386", "i486", "i586", "i686": return "i386"
        case "aarch64", "arm64": return "aarch64"
        case "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64", "ppc64le", "s390x": return machine
        default: return nil
        }
    }
}
