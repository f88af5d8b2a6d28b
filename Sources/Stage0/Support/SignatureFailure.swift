import ImageTrust

/// Turns a refused signature check into the message rkt prints: it names the image, the key (fingerprint
/// when gpgv reported one) and the ways out.
enum SignatureFailure {
    static func message(image: String, name: String, signature: String, check: SignatureVerifier.Check) -> String {
        let wayOut = """
            trust the signing key with `rkt trust --prefix=\(name) KEY_FILE` (or --root), \
            or fetch without verification with --insecure-options=image
            """
        let trusted = check.trustedKeys.isEmpty
            ? "no key is trusted for \(name)"
            : "\(check.trustedKeys.count) key(s) trusted for \(name): \(check.trustedKeys.map(\.fingerprint.hex).joined(separator: ", "))"
        switch check.verdict {
        case .good:
            return "image \(image) (\(name)): signature \(signature) is good"
        case let .bad(keyID, userID):
            return """
                image \(image) (\(name)): BAD signature \(signature) from key \(keyID) \(quoted(userID)): \
                the image or its signature was altered; nothing was stored
                """
        case let .expiredKey(keyID, signer, userID):
            return """
                image \(image) (\(name)): signed by key \(signer?.hex ?? keyID) \(quoted(userID)), which has expired; \
                refusing it; get a signature by a current key, or fetch without verification with \
                --insecure-options=image
                """
        case let .revokedKey(keyID, signer, userID):
            return """
                image \(image) (\(name)): signed by key \(signer?.hex ?? keyID) \(quoted(userID)), which is revoked; \
                refusing it; remove the key with `rkt trust --remove \(signer?.hex ?? keyID)`
                """
        case let .expiredSignature(keyID, signer):
            return "image \(image) (\(name)): the signature by key \(signer?.hex ?? keyID) has expired; \(wayOut)"
        case let .unknownKey(keyID, fingerprint):
            return """
                image \(image) (\(name)): signature \(signature) was made by key \(fingerprint ?? keyID), \
                which is not trusted for \(name) (\(trusted)); \(wayOut)
                """
        case let .unverifiable(reason):
            return "image \(image) (\(name)): signature \(signature) cannot be verified: \(reason); \(wayOut)"
        }
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}
