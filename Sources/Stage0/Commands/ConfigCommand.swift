import ArgumentParser
import Foundation

/// `rkt config`: prints the merged configuration as JSON.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print configuration for each stage in JSON format.")

    @OptionGroup var globals: GlobalOptions

    @Flag(help: "Apply indent to format the output.")
    var prettyPrint = false

    func run() throws {
        var object = try globals.configuration().jsonObject()
        if let dir = globals.dataDirectory, var stage0 = object["stage0"] as? [[String: Any]] {
            stage0[0]["data"] = dir
            object["stage0"] = stage0
        }
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if prettyPrint { options.insert(.prettyPrinted) }
        let data = try JSONSerialization.data(withJSONObject: object, options: options)
        print(String(decoding: data, as: UTF8.self))
    }
}
