import AppC
import CNI
import Foundation
import Pods

/// What `rkt list` and `rkt status` tell about a pod, read from its directory.
struct PodReport {
    struct AppReport {
        let name: String
        let imageName: String
        let imageID: String
        let exitCode: Int?
    }

    let uuid: String
    let state: PodState
    let apps: [AppReport]
    let pid: Int?
    let created: Date?
    let started: Date?
    let manifest: PodManifest?
    /// The networks the stage1 recorded in the pod's `net-info.json` (none for host/none or before setup).
    let networks: [NetworkAttachment]

    init(_ pod: Pod) throws {
        uuid = pod.uuid
        state = try pod.state()
        let files = pod.files
        manifest = try? Self.manifest(of: pod)
        apps = (manifest?.apps ?? []).map { app in
            AppReport(name: app.name.value, imageName: Self.imageName(app.image),
                      imageID: app.image.id.description,
                      exitCode: (try? SmallFile.readInteger(files.appStatus(app.name.value))) ?? nil)
        }
        pid = (try? SmallFile.readInteger(files.pid)) ?? nil
        created = pod.creationTime()
        started = pod.startTime()
        networks = Self.networks(of: pod)
    }

    /// The attachments that got an address; an unreadable record shows no networks.
    static func networks(of pod: Pod) -> [NetworkAttachment] {
        let path = pod.files.directory + "/" + NetworkRecord.fileName
        guard let text = try? SmallFile.read(path, limit: NetworkRecord.maximumSize),
              let attachments = try? NetworkRecord.decode(Data(text.utf8), path: path) else { return [] }
        return attachments.filter { $0.ip != nil }
    }

    /// rkt's form: `default:ip4=172.16.28.5, mynet:ip4=10.1.0.2`.
    var networkSummary: String { networks.map(\.summary).joined(separator: ", ") }

    /// `name:version`, as `rkt list` shows images; the ID when the manifest names none.
    static func imageName(_ image: RuntimeImage) -> String {
        guard let name = image.name?.value else { return image.id.description }
        guard let version = image.labels.value(of: "version") else { return name }
        return name + ":" + version
    }

    static func manifest(of pod: Pod) throws -> PodManifest {
        guard let text = try SmallFile.read(pod.files.manifest, limit: PodManifest.maximumSize) else {
            throw CommandFailure(message: "pod \(pod.uuid) has no pod manifest (it is \(try pod.state().rawValue))")
        }
        return try PodManifest(jsonData: Data(text.utf8))
    }

    /// The object `rkt list --format=json` and `rkt status --format=json` print (rkt's v1 pod API shape).
    var jsonObject: [String: Any] {
        var object: [String: Any] = ["name": uuid, "state": state.rawValue]
        object["networks"] = networks.map { network -> [String: Any] in
            ["netName": network.netName, "netConf": network.netConf, "pluginPath": network.pluginPath, "ifName": network.ifName,
             "ip": network.ip ?? "", "args": network.args, "mask": network.mask ?? ""]
        }
        object["app_names"] = apps.map(\.name)
        if let created { object["created_at"] = Int64(created.timeIntervalSince1970 * 1e9) }
        if let started { object["started_at"] = Int64(started.timeIntervalSince1970 * 1e9) }
        if let pid { object["pid"] = pid }
        object["apps"] = apps.map { app -> [String: Any] in
            var entry: [String: Any] = ["name": app.name, "image_id": app.imageID,
                                        "state": app.exitCode != nil ? "exited" : appState]
            if let code = app.exitCode { entry["exit_code"] = code }
            return entry
        }
        if let labels = manifest?.userLabels, !labels.isEmpty { object["user_labels"] = labels }
        if let annotations = manifest?.userAnnotations, !annotations.isEmpty { object["user_annotations"] = annotations }
        return object
    }

    private var appState: String {
        switch state {
        case .running: return "running"
        case .exited, .exitedGarbage: return "exited"
        case .prepared, .preparing, .embryo: return "created"
        default: return "unknown"
        }
    }

    /// Go's `time.Time.String()` form, which rkt prints.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS xx zzz"
        return formatter.string(from: date)
    }

    static func json(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
