import CCrypto

/// A streaming SHA-256 / SHA-512 over OpenSSL's EVP interface, producing an `OCIDigest`.
public final class DigestHasher {
    public let algorithm: OCIDigest.Algorithm
    private let context: OpaquePointer
    private var finished = false
    /// Bytes hashed so far.
    public private(set) var count: Int64 = 0

    public init(_ algorithm: OCIDigest.Algorithm = .sha256) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        let type = algorithm == .sha256 ? EVP_sha256() : EVP_sha512()
        guard EVP_DigestInit_ex(context, type, nil) == 1 else {
            EVP_MD_CTX_free(context)
            fatalError("EVP_DigestInit_ex(\(algorithm)) failed")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "DigestHasher.update after finalize")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else { fatalError("EVP_DigestUpdate failed") }
        count += Int64(bytes.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Completes the digest; may be called once.
    public func finalize() -> OCIDigest {
        precondition(!finished, "DigestHasher.finalize called twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, Int(length) * 2 == algorithm.hexLength else {
            fatalError("EVP_DigestFinal_ex failed")
        }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest.prefix(Int(length)) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return OCIDigest(algorithm: algorithm, hex: String(decoding: text, as: UTF8.self))
    }
}
