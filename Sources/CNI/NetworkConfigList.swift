import Foundation

/// One network's configuration as the CNI spec defines it: a name, a spec version and a chain of plugin
/// configurations (a single-plugin `.conf` file is a chain of one). Each plugin object is kept as the JSON
/// it was written in; the runtime adds `name`, `cniVersion`, `prevResult` and `runtimeConfig` when it calls it.
public struct NetworkConfigList: @unchecked Sendable {
    public let name: String
    public let cniVersion: String
    /// The plugin configurations, in chain order; each has a `type` naming the plugin binary.
    public let plugins: [[String: Any]]
    /// Where the configuration came from: a file path, or `builtin:NAME`.
    public let source: String

    /// The largest configuration file read.
    public static let maximumSize = 256 << 10

    public init(name: String, cniVersion: String, plugins: [[String: Any]], source: String) throws {
        guard NetworkName.isValid(name) else { throw CNIError("\(source): \(name.debugDescription) is not a valid network name") }
        guard !plugins.isEmpty else { throw CNIError("\(source): network \(name) has no plugins") }
        for plugin in plugins {
            guard let type = plugin["type"] as? String, PluginName.isValid(type) else {
                throw CNIError("\(source): network \(name): a plugin's \"type\" is missing or is not a plain file name")
            }
        }
        self.name = name
        self.cniVersion = cniVersion
        self.plugins = plugins
        self.source = source
    }

    /// Parses a `.conf` (one plugin) or `.conflist` (`plugins` array) document.
    public init(json data: Data, source: String) throws {
        guard data.count <= Self.maximumSize else { throw CNIError("\(source): larger than \(Self.maximumSize) bytes") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CNIError("\(source): not JSON (\(error.localizedDescription))")
        }
        guard let document = object as? [String: Any] else { throw CNIError("\(source): not a JSON object") }
        guard let name = document["name"] as? String else { throw CNIError("\(source): no \"name\" string") }
        let version = (document["cniVersion"] as? String) ?? "0.2.0"
        if let list = document["plugins"] {
            guard let plugins = list as? [[String: Any]] else { throw CNIError("\(source): \"plugins\" is not an array of objects") }
            try self.init(name: name, cniVersion: version, plugins: plugins, source: source)
        } else {
            try self.init(name: name, cniVersion: version, plugins: [document], source: source)
        }
    }

    /// The list as one `.conflist` document (what the pod's network record keeps, so that DEL sees what ADD saw).
    public var conflistJSON: String {
        let object: [String: Any] = ["name": name, "cniVersion": cniVersion, "plugins": plugins]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The plugin types, in chain order.
    public var pluginTypes: [String] { plugins.compactMap { $0["type"] as? String } }

    /// Whether some plugin of the chain declares the capability (`"capabilities": {"portMappings": true}`).
    public func declares(capability: String) -> Bool {
        plugins.contains { (($0["capabilities"] as? [String: Any])?[capability] as? Bool) == true }
    }
}

/// Plugin binaries are looked up by file name in the plugin directories: no paths, no dot files.
enum PluginName {
    static func isValid(_ name: String) -> Bool {
        NetworkName.isValid(name)
    }
}
