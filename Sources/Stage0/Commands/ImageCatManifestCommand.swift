import ArgumentParser
import Foundation

/// `rkt image cat-manifest IMAGE`.
struct ImageCatManifestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat-manifest", abstract: "Inspect and print the image manifest.")

    @OptionGroup var globals: GlobalOptions

    @Flag(help: "Apply indent to format the output.")
    var prettyPrint = false

    @Argument(help: "Image ID (sha512-…, any unique prefix) or name[:version].")
    var image: String

    func run() throws {
        let store = try globals.openStore()
        let record = try store.resolve(image)
        let manifest = try store.manifest(of: record)
        print(String(decoding: try manifest.jsonData(pretty: prettyPrint), as: UTF8.self))
    }
}
