import ArgumentParser
import Foundation
import ImageStore
import ImageTrust

/// Options every rkt command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "rkt data directory (default: paths.d `data`, else /var/lib/rkt)")
    var dataDirectory: String?

    @Flag(help: "Print out more debug information to stderr.")
    var debug = false

    @Option(help: ArgumentHelp(
        "Comma-separated list of security features to disable.",
        discussion: "Allowed values: \(InsecureOptions.allowed.joined(separator: ", ")).",
        valueName: "list"))
    var insecureOptions = "none"

    @Option(help: "Local configuration directory.")
    var localConfig = "/etc/rkt"

    @Option(help: "System configuration directory.")
    var systemConfig = "/usr/lib/rkt"

    @Option(help: "User configuration directory.")
    var userConfig = ""

    @Flag(help: "Automatically trust gpg keys fetched from https.")
    var trustKeysFromHttps = false

    func validate() throws {
        _ = try InsecureOptions(parsing: insecureOptions)
    }

    var insecure: InsecureOptions {
        (try? InsecureOptions(parsing: insecureOptions)) ?? InsecureOptions()
    }

    /// The merged configuration from the system, local and user config directories.
    func configuration() throws -> Configuration {
        try Configuration.load(
            systemDirectory: systemConfig, localDirectory: localConfig,
            userDirectory: userConfig.isEmpty ? nil : userConfig)
    }

    /// The data directory: `--dir` when given, else the configured one; absolute, because paths into the
    /// store are handed to stage1 processes that run in the pod's directory (the kvm stage1 opens each app's
    /// disk image by the path stage0 wrote).
    func resolvedDataDirectory() throws -> String {
        Self.absolute(try dataDirectory ?? configuration().paths.data)
    }

    /// `path` made absolute against the working directory (unchanged when it already is).
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let base = FileManager.default.currentDirectoryPath
        return path.isEmpty || path == "." ? base : (base == "/" ? "" : base) + "/" + path
    }

    func openStore() throws -> ImageStore {
        let directory = try resolvedDataDirectory()
        debugLog("using data directory \(directory)")
        let store = try ImageStore(dataDirectory: directory)
        if debug { store.renderNote = { Console.error("rkt: [debug] \($0)") } }
        return store
    }

    /// Trusted keys: `trustedkeys/` under the local config directory (written) and the system one (read).
    func trustedKeyStore() -> TrustedKeyStore {
        TrustedKeyStore(localConfigDirectory: localConfig, systemConfigDirectory: systemConfig)
    }

    func debugLog(_ message: @autoclosure () -> String) {
        if debug { Console.error("rkt: [debug] \(message())") }
    }
}
