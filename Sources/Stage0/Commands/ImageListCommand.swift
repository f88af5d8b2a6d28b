import ArgumentParser
import Foundation
import ImageStore

/// `rkt image list`.
struct ImageListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List images in the local store.")

    enum Field: String, CaseIterable {
        case id, name, importtime, lastused, size, latest, signer
        var title: String {
            switch self {
            case .id: return "ID"
            case .name: return "NAME"
            case .importtime: return "IMPORT TIME"
            case .lastused: return "LAST USED"
            case .size: return "SIZE"
            case .latest: return "LATEST"
            case .signer: return "SIGNER"
            }
        }
    }

    @OptionGroup var globals: GlobalOptions

    @Option(help: "Comma-separated list of fields to display: \(Field.allCases.map(\.rawValue).joined(separator: ", ")).")
    var fields = "id,name,size,importtime,lastused"

    @Flag(help: "Suppress a legend with the list.")
    var noLegend = false

    @Flag(help: "Use long output format (full IDs, exact sizes and times).")
    var full = false

    @Option(help: "Output format: plain, json, json-pretty.")
    var format = "plain"

    func validate() throws {
        _ = try selectedFields()
        guard ["plain", "json", "json-pretty"].contains(format) else {
            throw ValidationError("--format: unknown value \"\(format)\"; allowed: plain, json, json-pretty")
        }
    }

    func selectedFields() throws -> [Field] {
        try fields.split(separator: ",").map { name in
            guard let field = Field(rawValue: name.lowercased()) else {
                throw ValidationError("--fields: unknown field \"\(name)\"; allowed: \(Field.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return field
        }
    }

    func run() throws {
        let store = try globals.openStore()
        let records = try store.images()
        let newestPerName = Dictionary(grouping: records, by: \.name).compactMapValues { $0.max { $0.importTime < $1.importTime }?.key }
        if format != "plain" {
            let objects: [[String: Any]] = records.map { record in
                ["id": record.key, "name": displayName(record, store: store), "import_time": record.importTime,
                 "last_used_time": record.lastUsed, "size": record.size + record.treeSize, "signer": record.signer]
            }
            var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
            if format == "json-pretty" { options.insert(.prettyPrinted) }
            print(String(decoding: try JSONSerialization.data(withJSONObject: objects, options: options), as: UTF8.self))
            return
        }
        let columns = try selectedFields()
        var rows: [[String]] = []
        if !noLegend { rows.append(columns.map(\.title)) }
        for record in records {
            rows.append(columns.map { field in
                switch field {
                case .id: return full ? record.key : ImageKey.short(record.key)
                case .name: return displayName(record, store: store)
                case .importtime: return time(record.importTime)
                case .lastused: return time(record.lastUsed)
                case .size: return full ? "\(record.size + record.treeSize)" : HumanFormat.size(record.size + record.treeSize)
                case .latest: return newestPerName[record.name] == record.key ? "true" : "false"
                case .signer: return record.signer.isEmpty ? "-" : (full ? record.signer : String(record.signer.suffix(16)))
                }
            })
        }
        print(TableWriter.render(rows), terminator: "")
    }

    private func time(_ nanoseconds: Int64) -> String {
        full ? HumanFormat.timestamp(nanoseconds: nanoseconds) : HumanFormat.relativeTime(nanoseconds: nanoseconds)
    }

    /// `name:version` when the image has a version label, as rkt shows it.
    private func displayName(_ record: ImageRecord, store: ImageStore) -> String {
        guard let version = try? store.manifest(of: record).label("version") else { return record.name }
        return record.name + ":" + version
    }
}
