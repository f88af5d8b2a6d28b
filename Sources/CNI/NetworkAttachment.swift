import Foundation

/// One network a pod joined: what rkt records in the pod's `net-info.json` (netName, netConf, pluginPath,
/// ifName, ip, args, mask; `rkt list` and `rkt status` read these) and what DEL needs to undo it exactly:
/// the container ID, the netns file, the configuration as ADD saw it, the port mappings and the result.
/// An attachment is recorded before its ADD runs (without a result), so that `gc` releases whatever a
/// crash in the middle left allocated.
public struct NetworkAttachment: Codable, Equatable, Sendable {
    public var netName: String
    public var netConf: String
    public var pluginPath: String
    public var ifName: String
    public var ip: String?
    public var args: String
    public var mask: String?
    public var containerID: String
    public var netns: String
    /// The network's configuration as one conflist document.
    public var config: String
    public var portMappings: [PortMapping]
    public var result: CNIResult?
    /// The last plugin's output, verbatim (the `prevResult` of DEL).
    public var rawResult: String?

    public init(network: NetworkConfigList, pluginPath: String, ifName: String, args: String, containerID: String,
                netns: String, portMappings: [PortMapping]) {
        netName = network.name
        netConf = network.source
        self.pluginPath = pluginPath
        self.ifName = ifName
        self.args = args
        self.containerID = containerID
        self.netns = netns
        config = network.conflistJSON
        self.portMappings = portMappings
    }

    /// Fills in the result of a successful ADD.
    public mutating func record(result: CNIResult, raw: Data) {
        self.result = result
        rawResult = String(decoding: raw, as: UTF8.self)
        let address = result.podIPv4
        ip = address?.ip
        mask = address?.mask
    }

    /// `NAME:ip4=ADDRESS`, as `rkt list` and `rkt status` show a network.
    public var summary: String { "\(netName):ip4=\(ip ?? "")" }

    /// The recorded configuration, parsed again.
    public func networkConfig() throws -> NetworkConfigList {
        try NetworkConfigList(json: Data(config.utf8), source: netConf)
    }
}

/// The pod's `net-info.json`: the list of attachments, in interface order.
public enum NetworkRecord {
    public static let fileName = "net-info.json"
    public static let maximumSize = 4 << 20

    public static func encode(_ attachments: [NetworkAttachment]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(attachments)
    }

    public static func decode(_ data: Data, path: String) throws -> [NetworkAttachment] {
        guard data.count <= maximumSize else { throw CNIError("\(path): larger than \(maximumSize) bytes") }
        do {
            return try JSONDecoder().decode([NetworkAttachment].self, from: data)
        } catch {
            throw CNIError("\(path): not a network record: \(CNIResult.describe(error))")
        }
    }
}
