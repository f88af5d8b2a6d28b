import Foundation
import ImageFetch

/// rkt's configuration, merged from the system (`/usr/lib/rkt`), local (`/etc/rkt`) and user directories, each
/// holding `<kind>.d/*.json` files of the form `{"rktKind": "paths", "rktVersion": "v1", …}`. A later directory
/// overrides an earlier one field by field.
struct Configuration {
    struct Paths: Equatable {
        var data = "/var/lib/rkt"
        var stage1Images = "/usr/lib/rkt/stage1-images"
    }

    struct Stage1: Equatable {
        var name = ""
        var version = ""
        var location = ""
    }

    var paths = Paths()
    var stage1 = Stage1()
    /// Registry host → basic credentials, from `auth.d` entries of kind `dockerAuth`.
    var dockerCredentials: [String: RegistryCredentials] = [:]

    static func load(systemDirectory: String, localDirectory: String, userDirectory: String?) throws -> Configuration {
        var configuration = Configuration()
        for directory in [systemDirectory, localDirectory] + (userDirectory.map { [$0] } ?? []) {
            for file in try jsonFiles(in: directory + "/paths.d") {
                let object = try entry(file, kind: "paths")
                if let data = object["data"] as? String { configuration.paths.data = data }
                if let images = object["stage1-images"] as? String { configuration.paths.stage1Images = images }
            }
            for file in try jsonFiles(in: directory + "/stage1.d") {
                let object = try entry(file, kind: "stage1")
                if let name = object["name"] as? String { configuration.stage1.name = name }
                if let version = object["version"] as? String { configuration.stage1.version = version }
                if let location = object["location"] as? String { configuration.stage1.location = location }
            }
            try configuration.loadDockerAuth(from: directory + "/auth.d")
        }
        return configuration
    }

    /// The JSON that `rkt config` prints.
    func jsonObject() -> [String: Any] {
        var stage0: [[String: Any]] = [[
            "rktVersion": "v1", "rktKind": "paths",
            "data": paths.data, "stage1-images": paths.stage1Images,
        ]]
        if !stage1.name.isEmpty || !stage1.location.isEmpty {
            stage0.append([
                "rktVersion": "v1", "rktKind": "stage1",
                "name": stage1.name, "version": stage1.version, "location": stage1.location,
            ])
        }
        return ["stage0": stage0]
    }

    static func jsonFiles(in directory: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory + "/" + $0 }
    }

    static func entry(_ path: String, kind: String) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(message: "reading configuration \(path): \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CommandFailure(message: "configuration \(path): not a JSON object")
        }
        guard object["rktKind"] as? String == kind else {
            throw CommandFailure(message: "configuration \(path): rktKind must be \"\(kind)\"")
        }
        guard object["rktVersion"] as? String == "v1" else {
            throw CommandFailure(message: "configuration \(path): unsupported rktVersion (want \"v1\")")
        }
        return object
    }
}
