import ImageTrust

/// The table `rkt trust --list` prints: one row per key file, local and system, masks included.
struct TrustedKeyListing {
    let store: TrustedKeyStore

    func print() throws {
        let inspector = try KeyFileInspector()
        var rows = [["FINGERPRINT", "SCOPE", "SOURCE", "USER ID"]]
        for key in try store.allKeys() {
            let scope: String
            switch key.scope {
            case .root: scope = "root"
            case let .prefix(prefix): scope = prefix
            }
            let userID: String
            if key.isMask {
                userID = "(masks the system key)"
            } else if let description = try? inspector.describe(key.path) {
                userID = description.userIDs.first ?? ""
            } else {
                userID = "(unreadable key file)"
            }
            rows.append([key.fingerprint.hex, scope, key.source.rawValue, userID])
        }
        Swift.print(TableWriter.render(rows), terminator: "")
    }
}
