import Foundation

/// Finds a network's configuration: a file in `net.d` of the local config dir wins over one in the system
/// config dir; the built-in `default` and `default-restricted` apply when no file defines those names.
/// Files are `*.conf`, `*.conflist` and `*.json`, read in name order; within one directory the first file
/// defining a name wins (as in CNI's libcni). A file that cannot be parsed is an error only when it is the
/// one asked for — an unreadable neighbour does not break every pod, but is reported if nothing matches.
public struct NetworkConfigLoader: Sendable {
    public let directories: [String]

    /// `configDirectories`: the config dirs in precedence order (local, then system); `net.d` is below each.
    public init(configDirectories: [String]) {
        directories = configDirectories.map { $0 + "/net.d" }
    }

    public func load(_ name: String) throws -> NetworkConfigList {
        var problems: [String] = []
        for directory in directories {
            for path in Self.configFiles(in: directory) {
                do {
                    let data = try Self.read(path)
                    let list = try NetworkConfigList(json: data, source: path)
                    if list.name == name { return list }
                } catch {
                    problems.append("\(error)")
                }
            }
        }
        if let builtin = BuiltinNetworks.config(named: name) { return builtin }
        var message = "network \(name.debugDescription) not found in \(directories.joined(separator: " or "))"
        if !problems.isEmpty { message += " (unusable files: \(problems.joined(separator: "; ")))" }
        throw CNIError(message)
    }

    static func configFiles(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".conf") || $0.hasSuffix(".conflist") || $0.hasSuffix(".json") }
            .sorted().map { directory + "/" + $0 }
    }

    static func read(_ path: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CNIError("\(path): cannot open") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: NetworkConfigList.maximumSize + 1)) ?? nil
        guard let data else { throw CNIError("\(path): cannot read") }
        guard data.count <= NetworkConfigList.maximumSize else { throw CNIError("\(path): larger than \(NetworkConfigList.maximumSize) bytes") }
        return data
    }
}
