import Foundation
import HostTestSupport
import ImageTestSupport
import XCTest

/// Helpers for the CNI networking end-to-end tests: skipping without the plugins or iptables, a web-server
/// image with a named port, pods started in the background that say when they listen, fetches from the
/// harness's host sandbox (its "host" side: curl run there), and snapshots of what a pod's networks may leave
/// behind there (`NetworkSnapshot`). Every network test runs in a sandbox of its own, so it starts from the
/// same state on every machine and leaves nothing in the machine's own namespaces.
enum NetworkPods {
    static let pluginDirectory = "/usr/lib/cni"
    static let webImage = "example.com/web"

    /// A harness for `flavor` (the namespace flavor unless told), skipped without the plugins or iptables.
    static func harness(_ flavor: Stage1Flavor? = nil) throws -> PodHarness {
        for plugin in ["ptp", "bridge", "host-local", "portmap"] where !FileManager.default.isExecutableFile(atPath: pluginDirectory + "/" + plugin) {
            throw XCTSkip("pod networking needs the CNI plugins (containernetworking-plugins): \(pluginDirectory)/\(plugin) is missing")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            throw XCTSkip("the network tests fetch from the pods with curl (Debian package curl; make deps installs it)")
        }
        let pods = try flavor.map { try PodHarness($0) } ?? NamespacePods.harness()
        guard let sandbox = pods.sandbox, (try? sandbox.run("/usr/sbin/iptables", ["-t", "nat", "-S"]))?.status == 0 else {
            pods.cleanUp()
            throw XCTSkip("pod networking needs a working iptables (masquerading, port forwards)")
        }
        return pods
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
            process = pods.process(["run", "--stage1-path=\(pods.stage1)", "--uuid-file-save=\(uuidFile)"] + podFlags + [webImage])
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
            try NetworkPods.address(of: uuid, in: pods, on: network)
        }

        func stop() throws {
            let stopped = try pods.run(["stop", uuid])
            XCTAssertEqual(stopped.status, 0, stopped.stderr)
            process.waitUntilExit()
        }
    }

    /// Two web pods in a row with `--port=http:PORT`, no gc between them: the first one's address, rules and
    /// port are released when it exits (its status still shows the address), and the second answers on the port.
    static func assertExitReleasesPorts(_ pods: PodHarness, port: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let first = try BackgroundPod(pods, podFlags: ["--port=http:\(port)"])
        let address = try first.address()
        XCTAssertEqual(try fetch("http://127.0.0.1:\(port)/index.html", in: pods), "hello from the pod\n", file: file, line: line)
        try first.stop()
        let exited = try pods.status(first.uuid)
        XCTAssertEqual(exited["state"], "exited", file: file, line: line)
        XCTAssertEqual(exited["networks"], "default:ip4=\(address)", "status still shows the exited pod's address", file: file, line: line)
        let released = try pods.networkSnapshot()
        XCTAssertEqual(released.rules(of: first.uuid), [], "no rule names the exited pod", file: file, line: line)
        XCTAssertFalse(released.leases.contains("default/\(address)"), "the lease is released at exit: \(released.leases)", file: file, line: line)

        let second = try BackgroundPod(pods, podFlags: ["--port=http:\(port)"])
        XCTAssertEqual(try fetch("http://127.0.0.1:\(port)/index.html", in: pods), "hello from the pod\n",
                       "the port reaches the new pod without gc of the exited one", file: file, line: line)
        let collected = try pods.run(["gc", "--grace-period=0s"])
        XCTAssertEqual(collected.status, 0, "gc of a pod whose networks were released at exit: " + collected.stderr, file: file, line: line)
        XCTAssertEqual(try fetch("http://127.0.0.1:\(port)/index.html", in: pods), "hello from the pod\n",
                       "gc of the exited pod left the running pod's port alone", file: file, line: line)
        try second.stop()
        XCTAssertEqual(try pods.run(["gc", "--grace-period=0s"]).status, 0, file: file, line: line)
        XCTAssertEqual(try pods.networkSnapshot().rules(of: second.uuid), [], file: file, line: line)
        XCTAssertNil(try fetch("http://127.0.0.1:\(port)/index.html", in: pods), "the port is closed again", file: file, line: line)
    }

    struct PodFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// An HTTP GET from the "host" side of the harness's sandbox (curl, 5 s at most); the body of a 200 answer,
    /// or nil when the fetch failed.
    /// `retries`: connection refusals and failures retried once a second that many times (curl --retry), for a
    /// server that is started but may not listen yet.
    static func fetch(_ url: String, in pods: PodHarness, retries: Int = 0) throws -> String? {
        let retry = retries > 0 ? ["--retry", "\(retries)", "--retry-delay", "1", "--retry-connrefused", "--retry-all-errors"] : []
        let result = try XCTUnwrap(pods.sandbox).run("/usr/bin/curl", ["--silent", "--fail", "--max-time", "5"] + retry + [url])
        return result.status == 0 ? result.output : nil
    }

    /// A pod's address on `network`, from `rkt status` (`networks=default:ip4=…`).
    static func address(of uuid: String, in pods: PodHarness, on network: String = "default") throws -> String {
        let networks = try pods.status(uuid)["networks"] ?? ""
        for entry in networks.components(separatedBy: ", ") where entry.hasPrefix(network + ":ip4=") {
            return String(entry.dropFirst(network.count + 5))
        }
        throw PodFailure(message: "pod \(uuid) has no address on \(network): networks=\(networks)")
    }
}
