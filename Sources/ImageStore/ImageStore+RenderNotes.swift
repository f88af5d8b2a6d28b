import ImageArchive

extension ImageStore {
    /// Renders one archive of `record` (its ACI blob, or the layer `layer` of an OCI image) with the
    /// renderer's rules; a refusal names the image (and layer), device nodes left out go to `renderNote`.
    func renderArchive(of record: ImageRecord, layer: String?, _ body: () throws -> RenderSummary) throws {
        let summary: RenderSummary
        do {
            summary = try body()
        } catch let error as ImageArchiveError {
            throw StoreError.renderRefused(image: Self.shown(record), layer: layer, reason: error.description)
        }
        guard summary.deviceNodesSkipped > 0, let renderNote else { return }
        let place = "image \(Self.shown(record))" + (layer.map { ", layer \($0)" } ?? "")
        for entry in summary.skippedDeviceNodes {
            renderNote("skipped device node \"\(entry)\" of \(place) (images never create device nodes)")
        }
        let unlisted = summary.deviceNodesSkipped - summary.skippedDeviceNodes.count
        if unlisted > 0 { renderNote("skipped \(unlisted) more device node(s) of \(place)") }
    }

    /// `example.com/app (sha512-0123456789ab)`.
    static func shown(_ record: ImageRecord) -> String {
        "\(record.name) (\(record.key.prefix(19)))"
    }
}
