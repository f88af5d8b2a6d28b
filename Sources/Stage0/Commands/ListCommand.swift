import ArgumentParser
import Foundation
import Pods

/// `rkt list [--full] [--no-legend] [--format=json|json-pretty]`: every pod with its apps and state.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List pods.")

    @OptionGroup var globals: GlobalOptions

    @Flag(help: "Use long output format (full UUIDs and image IDs, absolute times).")
    var full = false

    @Flag(help: "Suppress the legend.")
    var noLegend = false

    @Option(help: "Output format: tabbed (default), json, json-pretty.")
    var format = "tabbed"

    func validate() throws {
        guard ["tabbed", "json", "json-pretty"].contains(format) else {
            throw ValidationError("--format: unknown value \"\(format)\"; allowed: tabbed, json, json-pretty")
        }
    }

    func run() throws {
        let repository = try globals.openPodRepository()
        var reports: [PodReport] = []
        for pod in try repository.all() {
            if let report = try? PodReport(pod) { reports.append(report) }
        }
        if format != "tabbed" {
            let objects = reports.map(\.jsonObject)
            let data = try JSONSerialization.data(
                withJSONObject: objects, options: format == "json-pretty" ? [.prettyPrinted, .sortedKeys] : [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        var rows: [[String]] = noLegend ? [] : [["UUID", "APP", "IMAGE NAME", "STATE", "CREATED", "STARTED", "NETWORKS"]]
        for report in reports {
            let uuid = full ? report.uuid : PodUUID.short(report.uuid)
            let created = report.created.map(time) ?? ""
            let started = report.started.map(time) ?? ""
            if report.apps.isEmpty {
                rows.append([uuid, "-", "-", report.state.rawValue, created, started, report.networkSummary])
            }
            for (index, app) in report.apps.enumerated() {
                rows.append([index == 0 ? uuid : "", app.name, app.imageName, index == 0 ? report.state.rawValue : "",
                             index == 0 ? created : "", index == 0 ? started : "", index == 0 ? report.networkSummary : ""])
            }
        }
        print(TableWriter.render(rows), terminator: "")
    }

    private func time(_ date: Date) -> String {
        full ? PodReport.timestamp(date)
            : HumanFormat.relativeTime(nanoseconds: Int64(date.timeIntervalSince1970 * 1e9))
    }
}
