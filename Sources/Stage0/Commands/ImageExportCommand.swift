import ArgumentParser
import Foundation
import ImageStore
import LinuxSupport
import OCI

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
        if try store.isLayeredImage(record) {
            try exportLayered(record, store: store)
            return
        }
        try store.withBlob(of: record) { blob in
            try FileCopier.copy(from: blob, to: output)
        }
    }

    /// An OCI / docker image is stored as layers: its ACI is written from the rendered tree, with a manifest
    /// that no longer lists layers (the ACI holds every file).
    private func exportLayered(_ record: ImageRecord, store: ImageStore) throws {
        var manifest = try store.manifest(of: record)
        manifest.annotations.removeAll { $0.name.value == AppCImageConversion.layersAnnotation }
        let staging = store.temporaryPath("export")
        defer { try? FileSystem.removeTree(staging) }
        try store.render(record, into: staging, rootfsOnly: false)
        let temporary = output + ".tmp.\(getpid())"
        do {
            let writer = try ACIWriter(path: temporary)
            try writer.addManifest(Array(try manifest.jsonData(pretty: true)))
            try writer.addRootfs(staging + "/rootfs")
            try writer.finish()
            try retryingOnInterrupt("rename", path: output) { rename(temporary, output) }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
