import Foundation

/// A directory of fake CNI plugins (shell scripts) that log every call — environment and stdin — and print
/// a fixed result, or fail with a CNI error object.
struct FakePlugins {
    let directory: String
    let log: String

    init() throws {
        directory = NSTemporaryDirectory() + "cni-fake-" + UUID().uuidString
        log = directory + "/log"
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A plugin that records its call and prints `result` on ADD (nothing on DEL).
    func add(_ name: String, result: String) throws {
        try write(name, body: """
            cat > "\(log)/\(name).$CNI_COMMAND.json"
            echo "$CNI_COMMAND|$CNI_CONTAINERID|$CNI_NETNS|$CNI_IFNAME|$CNI_ARGS|$CNI_PATH" >> "\(log)/calls"
            echo "\(name) $CNI_COMMAND" >> "\(log)/order"
            if [ "$CNI_COMMAND" = ADD ]; then cat <<'RESULT'
            \(result)
            RESULT
            fi
            """)
    }

    /// A plugin that fails ADD with the spec's error object (DEL succeeds).
    func failing(_ name: String, message: String) throws {
        try write(name, body: """
            cat > /dev/null
            echo "\(name) $CNI_COMMAND" >> "\(log)/order"
            if [ "$CNI_COMMAND" = ADD ]; then
                echo '{"cniVersion":"0.4.0","code":11,"msg":"\(message)","details":"range full"}'
                exit 1
            fi
            """)
    }

    func write(_ name: String, body: String) throws {
        let path = directory + "/" + name
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func text(_ name: String) -> String {
        (try? String(contentsOfFile: log + "/" + name, encoding: .utf8)) ?? ""
    }

    func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: log + "/" + name))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static let ptpResult = """
        {"cniVersion":"0.4.0","interfaces":[{"name":"veth1","mac":"aa:bb:cc:dd:ee:01"},{"name":"eth0","mac":"aa:bb:cc:dd:ee:02","sandbox":"/x/netns"}],
         "ips":[{"version":"4","interface":1,"address":"172.16.28.7/24","gateway":"172.16.28.1"}],
         "routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.0.0.53"],"search":["pod.local"]}}
        """
}
