import CCrypto
import Foundation

/// CA certificates trusted for HTTPS besides the system store: the PEM files (`*.pem`, `*.crt`) of rkt's
/// `certs.d` directories. Every block of a file must be a `CERTIFICATE` whose DER OpenSSL parses as X.509;
/// anything else (a key, broken base64, a missing END line, no certificate at all) is an error naming the file.
/// Text outside the blocks is ignored, as OpenSSL does (bundles carry comments).
public struct CertificateBundle: Equatable, Sendable {
    public static let maximumFileSize = 1 << 20
    /// The files read, in order.
    public private(set) var files: [String] = []
    /// The number of certificates.
    public private(set) var count = 0
    /// The certificates, re-encoded from their checked DER as one PEM text.
    public private(set) var pem = ""

    public init() {}

    /// The `*.pem` and `*.crt` files of each directory, directory by directory and by name within one; a
    /// directory that does not exist adds nothing.
    public init(directories: [String]) throws {
        for directory in directories { try add(directory: directory) }
    }

    public var isEmpty: Bool { count == 0 }

    public mutating func add(directory: String) throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names.sorted() where name.hasSuffix(".pem") || name.hasSuffix(".crt") {
            try add(file: directory + "/" + name)
        }
    }

    public mutating func add(file path: String) throws {
        let certificates = try Self.certificates(in: try Self.read(path), file: path)
        for der in certificates { pem += Self.pemBlock(der) }
        files.append(path)
        count += certificates.count
    }

    /// The DER bytes of each certificate in a PEM text.
    static func certificates(in bytes: [UInt8], file: String) throws -> [[UInt8]] {
        func failure(_ reason: String) -> FetchError { .invalidSource(file, reason: reason) }
        var certificates: [[UInt8]] = []
        var block: (label: String, line: Int, base64: String)?
        // Split on the bytes: "\r\n" is a single Character to String, so a CRLF file would not split on "\n".
        for (index, rawLine) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: rawLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let number = index + 1
            if var current = block {
                if line.hasPrefix("-----END ") {
                    guard line == "-----END \(current.label)-----" else {
                        throw failure("line \(number): \(line) does not close the -----BEGIN \(current.label)----- of line \(current.line)")
                    }
                    certificates.append(try certificate(base64: current.base64, line: current.line, file: file))
                    block = nil
                } else if line.hasPrefix("-----BEGIN ") {
                    throw failure("line \(number): -----BEGIN inside the block that starts on line \(current.line)")
                } else {
                    current.base64 += line
                    guard current.base64.utf8.count <= maximumFileSize else { throw failure("block on line \(current.line) is too long") }
                    block = current
                }
            } else if line.hasPrefix("-----BEGIN ") {
                guard line.hasSuffix("-----"), line.count > "-----BEGIN -----".count else {
                    throw failure("line \(number): malformed PEM header \(line.prefix(80))")
                }
                let label = String(line.dropFirst("-----BEGIN ".count).dropLast("-----".count))
                guard label == "CERTIFICATE" else {
                    throw failure("line \(number): a \(label.prefix(40)) block; certs.d takes CA certificates (-----BEGIN CERTIFICATE-----) only")
                }
                block = (label, number, "")
            }
        }
        if let block { throw failure("the -----BEGIN \(block.label)----- of line \(block.line) has no END line") }
        guard !certificates.isEmpty else { throw failure("no PEM certificate in it (-----BEGIN CERTIFICATE----- block)") }
        return certificates
    }

    /// Decodes one block's base64 and checks that the bytes are exactly one X.509 certificate.
    private static func certificate(base64: String, line: Int, file: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: base64), !data.isEmpty else {
            throw FetchError.invalidSource(file, reason: "certificate on line \(line): not valid base64")
        }
        let der = [UInt8](data)
        let parsed = der.withUnsafeBufferPointer { buffer -> Bool in
            guard let start = buffer.baseAddress else { return false }
            var cursor: UnsafePointer<UInt8>? = start
            guard let certificate = d2i_X509(nil, &cursor, buffer.count) else { return false }
            X509_free(certificate)
            return cursor == start + buffer.count
        }
        guard parsed else {
            throw FetchError.invalidSource(file, reason: "certificate on line \(line): not a DER X.509 certificate")
        }
        return der
    }

    private static func pemBlock(_ der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString()
        var text = "-----BEGIN CERTIFICATE-----\n"
        var start = base64.startIndex
        while start < base64.endIndex {
            let end = base64.index(start, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            text += base64[start..<end] + "\n"
            start = end
        }
        return text + "-----END CERTIFICATE-----\n"
    }

    /// The file's bytes: a regular file (symbolic links followed) of at most `maximumFileSize` bytes.
    private static func read(_ path: String) throws -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw FetchError.invalidSource(path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw FetchError.invalidSource(path, reason: "not a regular file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FetchError.invalidSource(path, reason: "cannot be opened for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
        } catch {
            throw FetchError.invalidSource(path, reason: "reading: \(error.localizedDescription)")
        }
        guard data.count <= maximumFileSize else {
            throw FetchError.invalidSource(path, reason: "larger than \(maximumFileSize) bytes; not a certificate file")
        }
        return [UInt8](data)
    }
}
