import Foundation

/// ADD and DEL of one network (a chain of plugins) for one pod, per the CNI spec: each plugin of the chain
/// gets the network's `name` and `cniVersion`, the previous plugin's result as `prevResult`, and the
/// runtime's capability arguments (`runtimeConfig.portMappings`) when it declares that capability. ADD runs
/// the chain in order; a failure part way DELs the whole chain before the error is reported. DEL runs it in
/// reverse and goes on past failures (so that every plugin releases what it holds), reporting the first.
public struct NetworkInvoker: Sendable {
    public let runner: PluginRunner

    public init(runner: PluginRunner) {
        self.runner = runner
    }

    /// Runs ADD; returns the final result and its raw text.
    public func add(_ attachment: NetworkAttachment) throws -> (CNIResult, Data) {
        let network = try attachment.networkConfig()
        var previous: Data?
        for plugin in network.plugins {
            let type = plugin["type"] as? String ?? ""
            do {
                let config = try pluginConfig(plugin, network: network, attachment: attachment, previous: previous)
                let output = try runner.run(type: type, invocation: invocation("ADD", attachment), config: config)
                _ = try CNIResult(json: output, plugin: type)
                previous = output
            } catch {
                try? delete(attachment, previous: previous)
                throw CNIError("network \(network.name): \(error)")
            }
        }
        guard let previous else { throw CNIError("network \(network.name): no plugin returned a result") }
        return (try CNIResult(json: previous, plugin: network.pluginTypes.last ?? ""), previous)
    }

    /// Runs DEL for the recorded attachment (with its recorded result as `prevResult` when there is one).
    public func delete(_ attachment: NetworkAttachment) throws {
        try delete(attachment, previous: attachment.rawResult.map { Data($0.utf8) })
    }

    private func delete(_ attachment: NetworkAttachment, previous: Data?) throws {
        let network = try attachment.networkConfig()
        var firstError: Error?
        for plugin in network.plugins.reversed() {
            let type = plugin["type"] as? String ?? ""
            do {
                let config = try pluginConfig(plugin, network: network, attachment: attachment, previous: previous)
                _ = try runner.run(type: type, invocation: invocation("DEL", attachment), config: config)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw CNIError("network \(network.name): \(firstError)") }
    }

    private func invocation(_ command: String, _ attachment: NetworkAttachment) -> PluginRunner.Invocation {
        PluginRunner.Invocation(command: command, containerID: attachment.containerID, netns: attachment.netns,
                                ifName: attachment.ifName, args: attachment.args)
    }

    /// The JSON one plugin of the chain reads on stdin.
    func pluginConfig(_ plugin: [String: Any], network: NetworkConfigList, attachment: NetworkAttachment, previous: Data?) throws -> Data {
        var config = plugin
        config["name"] = network.name
        config["cniVersion"] = network.cniVersion
        if let previous, let result = try? JSONSerialization.jsonObject(with: previous) {
            config["prevResult"] = result
        } else {
            config.removeValue(forKey: "prevResult")
        }
        let capabilities = plugin["capabilities"] as? [String: Any] ?? [:]
        if capabilities["portMappings"] as? Bool == true, !attachment.portMappings.isEmpty {
            var runtime = config["runtimeConfig"] as? [String: Any] ?? [:]
            runtime["portMappings"] = attachment.portMappings.map(\.jsonObject)
            config["runtimeConfig"] = runtime
        }
        return try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
    }
}
