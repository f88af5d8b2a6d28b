import Foundation

/// For tests: a throwaway CA and a server certificate it signed (P-256, valid for two days), made with the
/// `openssl` CLI in `directory`. The server certificate names 127.0.0.1 and localhost, plus `extraAddresses`.
public struct TestCertificateAuthority {
    public static let openssl = "/usr/bin/openssl"
    public let directory: String
    /// The CA certificate (PEM): what a client must trust.
    public var certificate: String { directory + "/ca.pem" }
    /// The server's certificate (PEM) and key (PEM, unencrypted).
    public var serverCertificate: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server.key" }

    /// Why TLS tests cannot run here (a tool is missing), or nil when they can.
    public static var missingTools: String? {
        if !FileManager.default.isExecutableFile(atPath: openssl) { return "\(openssl) is not installed (Debian package openssl)" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") { return "/usr/bin/python3 is not installed" }
        return nil
    }

    public init(directory: String, extraAddresses: [String] = [], commonName: String = "rkt test CA") throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try Self.runOpenSSL(["req", "-x509"] + curve + [
            "-keyout", directory + "/ca.key", "-out", certificate, "-days", "2", "-subj", "/CN=\(commonName)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try Self.runOpenSSL(["req"] + curve + [
            "-keyout", serverKey, "-out", directory + "/server.csr", "-subj", "/CN=localhost",
        ])
        let names = (["IP:127.0.0.1", "DNS:localhost"] + extraAddresses.map { "IP:" + $0 }).joined(separator: ",")
        let extensions = directory + "/server.ext"
        try Data("""
            subjectAltName=\(names)
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth

            """.utf8).write(to: URL(fileURLWithPath: extensions))
        try Self.runOpenSSL([
            "x509", "-req", "-in", directory + "/server.csr", "-CA", certificate, "-CAkey", directory + "/ca.key",
            "-CAcreateserial", "-out", serverCertificate, "-days", "2", "-extfile", extensions,
        ])
    }

    /// Runs the openssl CLI quietly; its error output becomes the error when it fails.
    private static func runOpenSSL(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "TestCertificateAuthority", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? ""): \(text)"])
        }
    }
}
