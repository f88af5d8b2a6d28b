import ArgumentParser
import ImageStore

/// `rkt image gc`: removes images unused for the grace period, orphaned trees, blobs and temporary files.
struct ImageGarbageCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Garbage collect local store: remove unused images and leftovers.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Duration to wait since an image was last used before removing it (Go notation: 24h, 30m, 0s).")
    var gracePeriod = "24h"

    func validate() throws {
        guard GoDuration.seconds(gracePeriod) != nil else {
            throw ValidationError("--grace-period: \"\(gracePeriod)\" is not a duration (e.g. 24h, 90m, 0s)")
        }
    }

    func run() throws {
        let store = try globals.openStore()
        let report = try store.garbageCollect(gracePeriod: GoDuration.seconds(gracePeriod) ?? 0)
        for record in report.removedImages {
            print("successfully removed aci for image: \"\(record.key)\" (\(record.name))")
        }
        for tree in report.removedTrees { globals.debugLog("removed tree \(tree)") }
        for blob in report.removedOrphanBlobs { globals.debugLog("removed orphan blob \(blob)") }
        for file in report.removedTemporaryFiles { globals.debugLog("removed temporary file \(file)") }
        print("\(report.removedImages.count) image(s) removed, \(report.removedTrees.count) tree(s) removed")
    }
}
