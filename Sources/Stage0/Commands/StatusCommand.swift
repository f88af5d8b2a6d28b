import ArgumentParser
import Foundation
import Pods

/// `rkt status [--wait[=DURATION]] [--wait-ready[=DURATION]] [--format=json] UUID`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Check the status of a pod.")

    @OptionGroup var globals: GlobalOptions

    @Option(help: ArgumentHelp("Wait for the pod to exit: --wait (no limit) or --wait=DURATION.", valueName: "duration"))
    var wait = "false"

    @Option(help: ArgumentHelp("Wait for the pod to be running: --wait-ready or --wait-ready=DURATION.", valueName: "duration"))
    var waitReady = "false"

    @Option(help: "Output format: tabbed (default), json, json-pretty.")
    var format = "tabbed"

    @Argument(help: "The pod's UUID (or a unique prefix).")
    var uuid: String

    /// `--wait` and `--wait-ready` take an optional value, which the argument parser cannot express; bare
    /// forms are rewritten to `=true` before parsing.
    static func normalizingOptionalValues(_ arguments: [String]) -> [String] {
        guard arguments.first(where: { !$0.hasPrefix("-") }) == "status" else { return arguments }
        return arguments.map { $0 == "--wait" || $0 == "--wait-ready" ? $0 + "=true" : $0 }
    }

    /// nil: do not wait; .infinity: no limit.
    static func waitLimit(_ text: String, flag: String) throws -> Double? {
        switch text {
        case "false", "0": return nil
        case "true": return .infinity
        default:
            guard let seconds = GoDuration.seconds(text) else {
                throw ValidationError("\(flag)=\(text): not a duration (e.g. 10s, 1m)")
            }
            return seconds
        }
    }

    func validate() throws {
        _ = try Self.waitLimit(wait, flag: "--wait")
        _ = try Self.waitLimit(waitReady, flag: "--wait-ready")
        guard ["tabbed", "json", "json-pretty"].contains(format) else {
            throw ValidationError("--format: unknown value \"\(format)\"; allowed: tabbed, json, json-pretty")
        }
    }

    func run() throws {
        let repository = try globals.openPodRepository()
        let pod = try globals.findPod(uuid, in: repository)
        if let limit = try Self.waitLimit(waitReady, flag: "--wait-ready") {
            try PodWaiter(pod: pod).waitUntilReady(limit: limit)
        }
        if let limit = try Self.waitLimit(wait, flag: "--wait") {
            try PodWaiter(pod: pod).waitUntilExited(limit: limit)
        }
        let report = try PodReport(pod)
        if format != "tabbed" {
            let data = try JSONSerialization.data(
                withJSONObject: report.jsonObject, options: format == "json-pretty" ? [.prettyPrinted, .sortedKeys] : [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        var lines = ["state=\(report.state.rawValue)"]
        if let created = report.created { lines.append("created=\(PodReport.timestamp(created))") }
        if let started = report.started { lines.append("started=\(PodReport.timestamp(started))") }
        if !report.networks.isEmpty { lines.append("networks=\(report.networkSummary)") }
        if let pid = report.pid { lines.append("pid=\(pid)") }
        lines.append("exited=\(report.state.hasExited)")
        if report.state.hasExited {
            for app in report.apps {
                lines.append("app-\(app.name)=\(app.exitCode.map(String.init) ?? "-")")
            }
        }
        print(lines.joined(separator: "\n"))
    }
}
