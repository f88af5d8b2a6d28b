import ArgumentParser
import Foundation

/// The parsed `--insecure-options` list: security checks the user chose to disable.
struct InsecureOptions: Equatable {
    static let allowed = ["none", "image", "tls", "ondisk", "http", "pubkey", "capabilities", "paths",
                          "seccomp", "run-all", "all-fetch", "all-run", "all"]
    private(set) var disabled: Set<String> = []

    init() {}

    init(parsing list: String) throws {
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard Self.allowed.contains(item) else {
                throw ValidationError(
                    "--insecure-options: unknown value \"\(item)\"; allowed: \(Self.allowed.joined(separator: ", "))")
            }
            switch item {
            case "none": continue
            case "all": disabled.formUnion(["image", "tls", "ondisk", "http", "pubkey", "capabilities", "paths", "seccomp"])
            case "all-fetch": disabled.formUnion(["image", "tls", "http", "pubkey"])
            case "all-run", "run-all": disabled.formUnion(["capabilities", "paths", "seccomp"])
            default: disabled.insert(item)
            }
        }
    }

    /// Image signature verification is skipped.
    var skipImageVerification: Bool { disabled.contains("image") }
    var skipOnDiskVerification: Bool { disabled.contains("ondisk") }
    /// Registries may be reached over plain HTTP.
    var allowHTTP: Bool { disabled.contains("http") }
    var skipTLSVerification: Bool { disabled.contains("tls") }
}
