@testable import CNI
import Foundation
import XCTest

/// The CNI invoker with fake plugins: `--net` forms, configuration lookup (local over system over built-in),
/// results in every spec version's shape, chained ADD/DEL with prevResult and portMappings, plugin errors,
/// cleanup after a failed chain, and hostile configurations and results.
final class CNITests: XCTestCase {
    private var plugins: FakePlugins!
    private var directory: String!

    override func setUpWithError() throws {
        plugins = try FakePlugins()
        directory = plugins.directory + "/config"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        plugins.remove()
    }

    func testNetSelectionForms() throws {
        XCTAssertEqual(try NetworkSelection(parsing: "host"), .host)
        XCTAssertEqual(try NetworkSelection(parsing: "none"), .none)
        XCTAssertEqual(try NetworkSelection(parsing: ""), .networks([.init(name: "default")]))
        let list = try NetworkSelection(parsing: "default,mynet:IP=172.16.29.5;K2=v=2")
        XCTAssertEqual(list, .networks([.init(name: "default"), .init(name: "mynet", args: [("IP", "172.16.29.5"), ("K2", "v=2")])]))
        if case .networks(let requests) = list { XCTAssertEqual(requests[1].cniArgs, "IP=172.16.29.5;K2=v=2") }
        for bad in ["../etc", "default,default", "default,host", "a:novalue", "a:=x", "a b", ",", String(repeating: "n,", count: 17) + "x"] {
            XCTAssertThrowsError(try NetworkSelection(parsing: bad), bad)
        }
    }

    func testBuiltinNetworksAreRktsAndChainPortmap() throws {
        let loader = NetworkConfigLoader(configDirectories: [directory])
        let network = try loader.load("default")
        XCTAssertEqual(network.source, "builtin:default")
        XCTAssertEqual(network.pluginTypes, ["ptp", "portmap"])
        XCTAssertTrue(network.declares(capability: "portMappings"))
        XCTAssertEqual(network.plugins[0]["ipMasq"] as? Bool, true)
        XCTAssertEqual((network.plugins[0]["ipam"] as? [String: Any])?["subnet"] as? String, "172.16.28.0/24")
        let restricted = try loader.load("default-restricted")
        XCTAssertEqual(restricted.plugins[0]["ipMasq"] as? Bool, false)
        XCTAssertNil((restricted.plugins[0]["ipam"] as? [String: Any])?["routes"])
    }

    func testLocalConfigWinsOverSystemAndBuiltin() throws {
        let local = directory + "/local", system = directory + "/system"
        for dir in [local, system] { try FileManager.default.createDirectory(atPath: dir + "/net.d", withIntermediateDirectories: true) }
        try #"{"cniVersion":"0.4.0","name":"mynet","type":"bridge","bridge":"sys0"}"#.write(toFile: system + "/net.d/10-mynet.conf", atomically: true, encoding: .utf8)
        try #"{"cniVersion":"1.0.0","name":"mynet","plugins":[{"type":"bridge","bridge":"loc0"},{"type":"portmap"}]}"#
            .write(toFile: local + "/net.d/20-mynet.conflist", atomically: true, encoding: .utf8)
        try #"{"name":"default","type":"bridge","bridge":"mine"}"#.write(toFile: system + "/net.d/30-default.conf", atomically: true, encoding: .utf8)
        try "not json".write(toFile: local + "/net.d/05-broken.conf", atomically: true, encoding: .utf8)
        let loader = NetworkConfigLoader(configDirectories: [local, system])
        let mynet = try loader.load("mynet")
        XCTAssertEqual(mynet.plugins[0]["bridge"] as? String, "loc0")
        XCTAssertEqual(mynet.cniVersion, "1.0.0")
        XCTAssertEqual(mynet.source, local + "/net.d/20-mynet.conflist")
        XCTAssertEqual(try loader.load("default").plugins[0]["bridge"] as? String, "mine")
        XCTAssertThrowsError(try loader.load("othernet")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("network \"othernet\" not found"), text)
            XCTAssertTrue(text.contains("05-broken.conf: not JSON"), text)
        }
    }

    func testHostileConfigurationsAreRefused() throws {
        let cases = [
            #"[1,2]"#, #"{"type":"ptp"}"#, #"{"name":"../x","type":"ptp"}"#, #"{"name":"n","type":"../../bin/sh"}"#,
            #"{"name":"n","plugins":[]}"#, #"{"name":"n","plugins":"ptp"}"#, #"{"name":"n"}"#,
        ]
        for text in cases {
            XCTAssertThrowsError(try NetworkConfigList(json: Data(text.utf8), source: "test"), text)
        }
        let huge = Data(repeating: 0x20, count: NetworkConfigList.maximumSize + 1)
        XCTAssertThrowsError(try NetworkConfigList(json: huge, source: "huge"))
        XCTAssertThrowsError(try PluginRunner(pluginDirectories: [plugins.directory]).locate("../log"))
    }

    func testResultsOfEverySpecVersion() throws {
        let current = try CNIResult(json: Data(FakePlugins.ptpResult.utf8), plugin: "ptp")
        XCTAssertEqual(current.podIPv4?.ip, "172.16.28.7")
        XCTAssertEqual(current.podIPv4?.mask, "255.255.255.0")
        XCTAssertEqual(current.routes, [.init(dst: "0.0.0.0/0", gw: nil)])
        XCTAssertEqual(current.dns?.resolvConf, "search pod.local\nnameserver 10.0.0.53\n")
        let legacy = try CNIResult(json: Data(#"{"cniVersion":"0.2.0","ip4":{"ip":"10.1.2.3/16","gateway":"10.1.0.1","routes":[{"dst":"0.0.0.0/0"}]}}"#.utf8), plugin: "old")
        XCTAssertEqual(legacy.podIPv4?.ip, "10.1.2.3")
        XCTAssertEqual(legacy.podIPv4?.mask, "255.255.0.0")
        XCTAssertEqual(legacy.routes.count, 1)
        for hostile in [#"{"ips":[{"address":"10.0.0.1/8","interface":5}]}"#, #"{"ips":[{"address":"10.0.0.1"}]}"#, #"{"ips":"x"}"#, "garbage"] {
            XCTAssertThrowsError(try CNIResult(json: Data(hostile.utf8), plugin: "p"), hostile)
        }
    }

    func testChainedAddPassesEnvironmentPrevResultAndPortMappings() throws {
        try plugins.add("fakeptp", result: FakePlugins.ptpResult)
        try plugins.add("fakeportmap", result: FakePlugins.ptpResult)
        let network = try NetworkConfigList(json: Data(#"{"cniVersion":"0.4.0","name":"net1","plugins":[{"type":"fakeptp","ipMasq":true},{"type":"fakeportmap","capabilities":{"portMappings":true}}]}"#.utf8), source: "test")
        let ports = [PortMapping(hostPort: 18080, containerPort: 80, protocol: "tcp", hostIP: "127.0.0.1")]
        var attachment = NetworkAttachment(network: network, pluginPath: plugins.directory + "/fakeptp", ifName: "eth0",
                                           args: "IP=172.16.28.9", containerID: "uuid-1", netns: "/pods/uuid-1/netns", portMappings: ports)
        let invoker = NetworkInvoker(runner: PluginRunner(pluginDirectories: ["/nonexistent", plugins.directory]))
        let (result, raw) = try invoker.add(attachment)
        XCTAssertEqual(result.podIPv4?.address, "172.16.28.7/24")
        attachment.record(result: result, raw: raw)
        XCTAssertEqual(attachment.summary, "net1:ip4=172.16.28.7")
        XCTAssertEqual(plugins.text("calls").split(separator: "\n").first,
                       "ADD|uuid-1|/pods/uuid-1/netns|eth0|IP=172.16.28.9|/nonexistent:\(plugins.directory)")
        let first = try plugins.json("fakeptp.ADD.json")
        XCTAssertEqual(first["name"] as? String, "net1")
        XCTAssertEqual(first["cniVersion"] as? String, "0.4.0")
        XCTAssertNil(first["prevResult"])
        XCTAssertNil(first["runtimeConfig"])
        let second = try plugins.json("fakeportmap.ADD.json")
        XCTAssertEqual(((second["prevResult"] as? [String: Any])?["ips"] as? [[String: Any]])?.first?["address"] as? String, "172.16.28.7/24")
        let mappings = (second["runtimeConfig"] as? [String: Any])?["portMappings"] as? [[String: Any]]
        XCTAssertEqual(mappings?.first?["hostPort"] as? Int, 18080)
        XCTAssertEqual(mappings?.first?["hostIP"] as? String, "127.0.0.1")

        // The record survives a round trip, and DEL runs the chain in reverse with the recorded result.
        let decoded = try NetworkRecord.decode(try NetworkRecord.encode([attachment]), path: "net-info.json")
        XCTAssertEqual(decoded, [attachment])
        try invoker.delete(decoded[0])
        XCTAssertEqual(plugins.text("order"), "fakeptp ADD\nfakeportmap ADD\nfakeportmap DEL\nfakeptp DEL\n")
        let deleted = try plugins.json("fakeptp.DEL.json")
        XCTAssertEqual(((deleted["prevResult"] as? [String: Any])?["ips"] as? [[String: Any]])?.count, 1)
    }

    func testPluginErrorIsReportedAndTheChainIsDeleted() throws {
        try plugins.add("fakeptp", result: FakePlugins.ptpResult)
        try plugins.failing("fakeipam", message: "no IP addresses available in range set")
        let network = try NetworkConfigList(name: "net2", cniVersion: "0.4.0", plugins: [["type": "fakeptp"], ["type": "fakeipam"]], source: "test")
        let attachment = NetworkAttachment(network: network, pluginPath: "", ifName: "eth1", args: "", containerID: "u",
                                           netns: "/n", portMappings: [])
        let invoker = NetworkInvoker(runner: PluginRunner(pluginDirectories: [plugins.directory]))
        XCTAssertThrowsError(try invoker.add(attachment)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("network net2: plugin fakeipam ADD failed: no IP addresses available in range set (range full) [CNI error code 11]"), text)
        }
        XCTAssertEqual(plugins.text("order"), "fakeptp ADD\nfakeipam ADD\nfakeipam DEL\nfakeptp DEL\n")
    }

    func testMissingPluginAndGarbageOutput() throws {
        let network = try NetworkConfigList(name: "net3", cniVersion: "0.4.0", plugins: [["type": "nosuch"]], source: "test")
        let attachment = NetworkAttachment(network: network, pluginPath: "", ifName: "eth0", args: "", containerID: "u", netns: "/n", portMappings: [])
        let invoker = NetworkInvoker(runner: PluginRunner(pluginDirectories: [plugins.directory]))
        XCTAssertThrowsError(try invoker.add(attachment)) { error in
            XCTAssertTrue("\(error)".contains("plugin \"nosuch\" not found in \(plugins.directory)"), "\(error)")
        }
        try plugins.write("liar", body: "cat >/dev/null; echo 'not a result'")
        let liar = try NetworkConfigList(name: "net4", cniVersion: "0.4.0", plugins: [["type": "liar"]], source: "test")
        XCTAssertThrowsError(try invoker.add(NetworkAttachment(network: liar, pluginPath: "", ifName: "eth0", args: "", containerID: "u", netns: "/n", portMappings: []))) { error in
            XCTAssertTrue("\(error)".contains("plugin liar: result is not a CNI result"), "\(error)")
        }
        try plugins.write("crasher", body: "cat >/dev/null; echo 'panic: boom' >&2; exit 2")
        XCTAssertThrowsError(try PluginRunner(pluginDirectories: [plugins.directory]).run(
            type: "crasher", invocation: .init(command: "ADD", containerID: "u", netns: "/n", ifName: "eth0", args: ""), config: Data("{}".utf8))) { error in
            XCTAssertTrue("\(error)".contains("exit status 2: panic: boom"), "\(error)")
        }
    }

    func testHungPluginIsKilledAfterTheTimeout() throws {
        // Reads its config, then blocks forever (tail -f of an empty file never ends).
        try plugins.write("hangs", body: "cat >/dev/null; exec tail -f /dev/null")
        let runner = PluginRunner(pluginDirectories: [plugins.directory], timeout: 0.5)
        XCTAssertThrowsError(try runner.run(type: "hangs", invocation: .init(command: "ADD", containerID: "u", netns: "/n", ifName: "eth0", args: ""),
                                            config: Data("{}".utf8))) { error in
            XCTAssertTrue("\(error)".contains("plugin hangs ADD did not finish within 0.5 seconds and was killed"), "\(error)")
        }
    }
}
