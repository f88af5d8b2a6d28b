import ArgumentParser
import Foundation
import LinuxSupport

/// `rkt image export IMAGE OUTPUT`: writes the stored ACI (an uncompressed tar) to a file.
struct ImageExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a stored image to an ACI file.")

    @OptionGroup var globals: GlobalOptions

    @Flag(help: "Overwrite the output ACI if it exists.")
    var overwrite = false

    @Argument(help: "Image ID or name[:version].")
    var image: String

    @Argument(help: "Output ACI file.")
    var output: String

    func run() throws {
        let store = try globals.openStore()
        let record = try store.resolve(image)
        if FileSystem.exists(output) && !overwrite {
            throw CommandFailure(message: "\(output) already exists (use --overwrite to replace it)")
        }
        try store.withBlob(of: record) { blob in
            try FileCopier.copy(from: blob, to: output)
        }
    }
}
