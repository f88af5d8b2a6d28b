import Foundation

/// For tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1, configured in a temporary directory and
/// stopped when the object goes away. Several servers may share one storage directory (one without
/// authentication to push with skopeo, one with authentication to fetch from).
public final class RegistryServer {
    public enum Authentication {
        case none
        case htpasswd(file: String)
        case token(realm: String, service: String, issuer: String, certificateBundle: String)
    }

    public static let binary = "/usr/bin/docker-registry"
    public let port: Int
    public let storage: String
    private let process = Process()

    public var host: String { "127.0.0.1:\(port)" }

    /// Why registry tests cannot run here (a tool is missing), or nil when they can.
    public static var missingTools: String? {
        if !FileManager.default.isExecutableFile(atPath: binary) {
            return "\(binary) is not installed (Debian package docker-registry; scripts/deps.sh installs it)"
        }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/skopeo") {
            return "skopeo is not installed (scripts/deps.sh installs it)"
        }
        return nil
    }

    /// `tls`: serve HTTPS with the authority's server certificate (skopeo pushes without verifying it).
    public init(directory: String, storage: String, authentication: Authentication = .none, tls: TestCertificateAuthority? = nil) throws {
        port = try Self.freePort()
        self.storage = storage
        var config = """
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(storage)
            http:
              addr: 127.0.0.1:\(port)
              secret: test-secret

            """
        if let tls {
            config = config.replacingOccurrences(of: "  secret: test-secret\n", with: """
                  secret: test-secret
                  tls:
                    certificate: \(tls.serverCertificate)
                    key: \(tls.serverKey)

                """)
        }
        switch authentication {
        case .none: break
        case let .htpasswd(file):
            config += "auth:\n  htpasswd:\n    realm: test-basic\n    path: \(file)\n"
        case let .token(realm, service, issuer, bundle):
            config += "auth:\n  token:\n    realm: \(realm)\n    service: \(service)\n    issuer: \(issuer)\n    rootcertbundle: \(bundle)\n"
        }
        let configPath = directory + "/registry-\(port).yml"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", configPath]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        try Self.waitUntilListening(port: port, process: process)
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Pushes `source` (an `oci:DIR:TAG` reference) to `NAME:TAG` on this registry with skopeo.
    public func push(_ source: String, as name: String, all: Bool = false) throws {
        var arguments = ["--insecure-policy", "copy", "--dest-tls-verify=false"]
        if all { arguments.append("--all") }
        arguments += [source, "docker://\(host)/\(name)"]
        _ = try ACIFixture.run("/usr/bin/skopeo", arguments)
    }

    /// The file holding a blob's bytes in the registry's storage.
    public func blobData(_ digestHex: String) -> String {
        storage + "/docker/registry/v2/blobs/sha256/\(digestHex.prefix(2))/\(digestHex)/data"
    }

    /// Binds port 0 to let the kernel choose, then frees it for the server.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw NSError(domain: "RegistryServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "no free port"]) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits (at most 20 s) until something accepts connections on the port.
    public static func waitUntilListening(port: Int, process: Process) throws {
        for _ in 0..<1000 {
            guard process.isRunning else { throw NSError(domain: "RegistryServer", code: 2, userInfo: [NSLocalizedDescriptionKey: "server exited"]) }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return }
            usleep(20_000)
        }
        throw NSError(domain: "RegistryServer", code: 3, userInfo: [NSLocalizedDescriptionKey: "port \(port) never opened"])
    }
}
