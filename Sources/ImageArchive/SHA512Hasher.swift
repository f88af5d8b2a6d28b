import CCrypto

/// A streaming SHA-512 digest over OpenSSL's EVP interface. Feed it bytes with `update`, then call
/// `finalize()` once for the lowercase hex digest (the form appc image IDs use after "sha512-").
public final class SHA512Hasher {
    private let context: OpaquePointer
    private var finished = false

    public init() {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("EVP_MD_CTX_new: out of memory")
        }
        guard EVP_DigestInit_ex(context, EVP_sha512(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            fatalError("EVP_DigestInit_ex(sha512) failed")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA512Hasher.update after finalize")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else {
            fatalError("EVP_DigestUpdate(sha512) failed")
        }
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Completes the digest and returns it as 128 lowercase hex characters. May be called only once.
    public func finalize() -> String {
        precondition(!finished, "SHA512Hasher.finalize called twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 64 else {
            fatalError("EVP_DigestFinal_ex(sha512) failed")
        }
        return Self.hex(digest.prefix(Int(length)))
    }

    /// The SHA-512 of `bytes` in one call.
    public static func hexDigest(of bytes: [UInt8]) -> String {
        let hasher = SHA512Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
