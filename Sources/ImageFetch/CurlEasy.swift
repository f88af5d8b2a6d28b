import CCurl

/// One libcurl easy handle. Connections stay open in the handle between transfers (HTTP keep-alive), so a
/// transport reuses one for all its requests. One transfer at a time; the handle is not shared between threads.
final class CurlEasy {
    /// What one transfer needs besides its callbacks.
    struct Transfer {
        var url: String
        var headers: CurlHeaderList
        /// Seconds to connect, and seconds without a single byte before the transfer fails.
        var timeout: Double
        /// false: accept any server certificate and host name (`--insecure-options=tls`).
        var verifyPeer = true
        /// PEM certificates that replace the default CA file for this transfer (system store + certs.d).
        var certificateAuthorities: [UInt8]?
    }

    /// A failed transfer: curl's code and its reason (the error buffer's text, else curl's generic message).
    struct Failure: Error, CustomStringConvertible {
        let code: CURLcode
        let reason: String

        /// The server's certificate chain or host name did not verify.
        var isCertificateProblem: Bool { code == CURLE_PEER_FAILED_VERIFICATION }
        /// The TLS handshake got an answer that is no TLS record: OpenSSL's "wrong version number", what a
        /// plain-HTTP server's reply to a ClientHello looks like.
        var isPlainHTTPAnswer: Bool { code == CURLE_SSL_CONNECT_ERROR && reason.contains("wrong version number") }
        var description: String { reason }
    }

    /// The callbacks of the running transfer, reached from C through the transfer's context pointer.
    private final class Sinks {
        let header: (UnsafeRawBufferPointer) throws -> Void
        let body: (UnsafeRawBufferPointer) throws -> Void
        /// The first error a callback threw; the transfer was aborted for it.
        var error: Error?

        init(header: @escaping (UnsafeRawBufferPointer) throws -> Void, body: @escaping (UnsafeRawBufferPointer) throws -> Void) {
            self.header = header
            self.body = body
        }
    }

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    /// Bytes curl reads from the socket at a time (its default is 16 KiB).
    static let bufferSize = 256 << 10
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws {
        guard Self.globalInit == CURLE_OK else { throw Failure(code: Self.globalInit, reason: "curl_global_init failed") }
        guard let handle = curl_easy_init() else { throw Failure(code: CURLE_FAILED_INIT, reason: "curl_easy_init failed") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The CA file curl was built to use (Debian: /etc/ssl/certs/ca-certificates.crt), if any.
    var defaultCertificateFile: String? {
        var value: UnsafeMutablePointer<CChar>?
        guard ccurl_getinfo_string(handle, CURLINFO_CAINFO, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// Runs `transfer`. `header` receives each raw header line (status lines included), `body` the body in
    /// chunks; an error either throws aborts the transfer and is rethrown. Returns the final response code.
    func perform(_ transfer: Transfer, header: (UnsafeRawBufferPointer) throws -> Void,
                 body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try withoutActuallyEscaping(header) { header in
            try withoutActuallyEscaping(body) { body in
                let sinks = Sinks(header: header, body: body)
                // The header list and the sinks are read by curl until the transfer ends.
                return try withExtendedLifetime((sinks, transfer.headers)) {
                    try configure(transfer, context: Unmanaged.passUnretained(sinks).toOpaque())
                    let code = curl_easy_perform(handle)
                    if let error = sinks.error { throw error }
                    guard code == CURLE_OK else { throw failure(code) }
                    var status = 0
                    try check(ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status), "CURLINFO_RESPONSE_CODE")
                    return status
                }
            }
        }
    }

    /// Sets every option of the transfer on a reset handle (the reset keeps open connections).
    private func configure(_ transfer: Transfer, context: UnsafeMutableRawPointer) throws {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        try check(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(ccurl_setopt_string(handle, CURLOPT_URL, transfer.url), "CURLOPT_URL")
        try check(ccurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
        try check(ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0), "CURLOPT_FOLLOWLOCATION")
        try check(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(ccurl_setopt_string(handle, CURLOPT_USERAGENT, "rkt"), "CURLOPT_USERAGENT")
        try check(ccurl_setopt_long(handle, CURLOPT_BUFFERSIZE, Self.bufferSize), "CURLOPT_BUFFERSIZE")
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, transfer.headers.list), "CURLOPT_HTTPHEADER")
        let seconds = max(1, Int(transfer.timeout.rounded(.up)))
        try check(ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, seconds), "CURLOPT_CONNECTTIMEOUT")
        try check(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1), "CURLOPT_LOW_SPEED_LIMIT")
        try check(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, seconds), "CURLOPT_LOW_SPEED_TIME")
        try check(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, transfer.verifyPeer ? 1 : 0), "CURLOPT_SSL_VERIFYPEER")
        try check(ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, transfer.verifyPeer ? 2 : 0), "CURLOPT_SSL_VERIFYHOST")
        if let authorities = transfer.certificateAuthorities {
            try authorities.withUnsafeBytes { bytes in
                var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: bytes.baseAddress), len: bytes.count,
                                     flags: UInt32(CURL_BLOB_COPY))
                try check(ccurl_setopt_blob(handle, CURLOPT_CAINFO_BLOB, &blob), "CURLOPT_CAINFO_BLOB")
            }
        }
        try check(ccurl_setopt_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            CurlEasy.deliver(data, size * count, to: context) { $0.header }
        }, "CURLOPT_HEADERFUNCTION")
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
        try check(ccurl_setopt_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            CurlEasy.deliver(data, size * count, to: context) { $0.body }
        }, "CURLOPT_WRITEFUNCTION")
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
    }

    /// Hands `count` bytes to one of the transfer's sinks; a thrown error is kept and aborts the transfer
    /// (curl stops when a callback returns anything but the count it was given).
    private static func deliver(_ data: UnsafeMutablePointer<CChar>?, _ count: Int, to context: UnsafeMutableRawPointer?,
                                sink: (Sinks) -> (UnsafeRawBufferPointer) throws -> Void) -> Int {
        guard let context else { return 0 }
        let sinks = Unmanaged<Sinks>.fromOpaque(context).takeUnretainedValue()
        guard sinks.error == nil else { return 0 }
        do {
            try sink(sinks)(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : count))
            return count
        } catch {
            sinks.error = error
            return 0
        }
    }

    private func check(_ code: CURLcode, _ option: String) throws {
        guard code == CURLE_OK else {
            throw Failure(code: code, reason: "setting \(option): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private func failure(_ code: CURLcode) -> Failure {
        let detail = String(cString: errorBuffer)
        return Failure(code: code, reason: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
    }
}
