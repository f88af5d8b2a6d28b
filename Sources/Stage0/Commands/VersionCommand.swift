import ArgumentParser

/// `rkt version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version and exit.")

    @OptionGroup var globals: GlobalOptions

    func run() {
        print("rkt Version: \(RktVersion.version)")
        print("appc Version: \(RktVersion.appcVersion)")
        #if compiler(>=6.3)
        print("Swift Version: 6.3")
        #else
        print("Swift Version: 6")
        #endif
        print("OS/Arch: linux/amd64")
        print("Features: +KVM -TPM -SDJOURNAL")
    }
}
