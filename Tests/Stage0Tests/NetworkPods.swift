import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ImageTestSupport
import XCTest

/// Helpers for the CNI networking end-to-end tests: skipping without the plugins or iptables, a web-server
/// image with a named port, pods started in the background that say when they listen, host-side fetches
/// (URLSession), and snapshots of what a pod's networks may leave behind on the host.
enum NetworkPods {
    static let pluginDirectory = "/usr/lib/cni"
    static let leaseDirectory = "/var/lib/cni/networks"
    static let webImage = "example.com/web"

    /// A harness for `flavor` (the namespace flavor unless told), skipped without the plugins or iptables.
    static func harness(_ flavor: Stage1Flavor? = nil) throws -> PodHarness {
        for plugin in ["ptp", "bridge", "host-local", "portmap"] where !FileManager.default.isExecutableFile(atPath: pluginDirectory + "/" + plugin) {
            throw XCTSkip("pod networking needs the CNI plugins (containernetworking-plugins): \(pluginDirectory)/\(plugin) is missing")
        }
        guard let iptables = ["/usr/sbin/iptables", "/sbin/iptables"].first(where: FileManager.default.isExecutableFile(atPath:)),
              (try? command(iptables, ["-t", "nat", "-S"]))?.status == 0 else {
            throw XCTSkip("pod networking needs a working iptables (masquerading, port forwards)")
        }
        if let flavor { return try PodHarness(flavor) }
        return try NamespacePods.harness()
    }

    /// An image over busybox naming port `http` (tcp 80) whose app serves `/www` with busybox httpd, prints
    /// `listening` once the server socket is bound (httpd binds before it daemonizes), then stays up.
    static func fetchWebImage(_ pods: PodHarness) throws {
        var manifest = ACIFixture.manifest(name: webImage, dependencies: [["imageName": "example.com/busybox"]])
        manifest["app"] = [
            "exec": ["/bin/sh", "-c", "httpd -p 80 -h /www && echo listening && exec sleep 600"],
            "user": "0", "group": "0",
            "ports": [["name": "http", "protocol": "tcp", "port": 80]],
        ]
        let aci = try pods.fixture.makeACI("web", manifest: manifest, files: ["www/index.html": "hello from the pod\n"])
        let fetched = try pods.run(["fetch", "--insecure-options=image", aci])
        XCTAssertEqual(fetched.status, 0, fetched.stderr)
    }

    /// A web pod running in the background; `stop()` ends it.
    final class BackgroundPod {
        let process: Process
        let uuid: String
        let pods: PodHarness

        init(_ pods: PodHarness, podFlags: [String]) throws {
            self.pods = pods
            let uuidFile = pods.fixture.directory + "/uuid-" + UUID().uuidString
            process = Process()
            process.executableURL = URL(fileURLWithPath: RktProcess.binary)
            process.arguments = pods.rkt.globalFlags + ["run", "--stage1-path=\(pods.stage1)", "--uuid-file-save=\(uuidFile)"]
                + podFlags + [webImage]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Blocks until the app has bound its socket (or the pod ended, at EOF).
            var text = ""
            while !text.contains("listening\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard text.contains("listening\n") else {
                process.waitUntilExit()
                throw PodFailure(message: "web pod did not start (status \(process.terminationStatus)): \(text)")
            }
            uuid = try String(contentsOfFile: uuidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// The pod's address on `network`, from `rkt status` (`networks=default:ip4=…`).
        func address(on network: String = "default") throws -> String {
            let networks = try pods.status(uuid)["networks"] ?? ""
            for entry in networks.components(separatedBy: ", ") where entry.hasPrefix(network + ":ip4=") {
                return String(entry.dropFirst(network.count + 5))
            }
            throw PodFailure(message: "pod \(uuid) has no address on \(network): networks=\(networks)")
        }

        func stop() throws {
            let stopped = try pods.run(["stop", uuid])
            XCTAssertEqual(stopped.status, 0, stopped.stderr)
            process.waitUntilExit()
        }
    }

    struct PodFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// An HTTP GET from the host (URLSession); the body of a 200 answer, or nil when the fetch failed.
    static func fetch(_ url: String) throws -> String? {
        let request = URLRequest(url: try XCTUnwrap(URL(string: url)), cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 5)
        let done = DispatchSemaphore(value: 0)
        let box = FetchResult()
        let task = URLSession.shared.dataTask(with: request) { data, response, _ in
            if (response as? HTTPURLResponse)?.statusCode == 200, let data { box.body = String(decoding: data, as: UTF8.self) }
            done.signal()
        }
        task.resume()
        done.wait()
        return box.body
    }

    private final class FetchResult: @unchecked Sendable {
        var body: String?
    }

    static func command(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// What networks leave on the host: interfaces, routes, iptables rules (nat and filter), IPAM leases.
    struct HostSnapshot: Equatable {
        var interfaces: [String]
        var routes: [String]
        var rules: [String]
        var leases: [String]

        static func take() throws -> HostSnapshot {
            let links = try command("/sbin/ip", ["-o", "link", "show"]).output.split(separator: "\n").compactMap { line in
                line.split(separator: ":").dropFirst().first.map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@")[0]) }
            }
            let routes = try command("/sbin/ip", ["route", "show", "table", "all"]).output.split(separator: "\n").map(String.init)
            var rules: [String] = []
            for table in ["nat", "filter"] {
                rules += try command("/usr/sbin/iptables", ["-t", table, "-S"]).output.split(separator: "\n").map { "\(table) \($0)" }
            }
            return HostSnapshot(interfaces: links.sorted(), routes: routes.sorted(), rules: rules.sorted(), leases: leases())
        }

        static func leases() -> [String] {
            var found: [String] = []
            for network in (try? FileManager.default.contentsOfDirectory(atPath: leaseDirectory)) ?? [] {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: leaseDirectory + "/" + network)) ?? []
                    where name != "lock" && !name.hasPrefix("last_reserved_ip") {
                    found.append(network + "/" + name)
                }
            }
            return found.sorted()
        }

        /// Rules that name the pod (the plugins tag theirs with `id: "UUID"`).
        func rules(of uuid: String) -> [String] { rules.filter { $0.contains(uuid) } }
    }
}
