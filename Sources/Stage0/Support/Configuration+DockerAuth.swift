import Foundation
import ImageFetch

/// `auth.d/*.json` entries of kind `dockerAuth` (rkt's format):
///
///     {"rktKind": "dockerAuth", "rktVersion": "v1", "registries": ["quay.io"],
///      "credentials": {"user": "me", "password": "secret"}}
///
/// Entries of kind `auth` (https:// image servers) are accepted and not used by docker fetches.
extension Configuration {
    mutating func loadDockerAuth(from directory: String) throws {
        for file in try Self.jsonFiles(in: directory) {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CommandFailure(message: "reading configuration \(file): \(error.localizedDescription)")
            }
            guard data.count <= 1 << 20, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CommandFailure(message: "configuration \(file): not a JSON object")
            }
            guard object["rktVersion"] as? String == "v1" else {
                throw CommandFailure(message: "configuration \(file): unsupported rktVersion (want \"v1\")")
            }
            switch object["rktKind"] as? String {
            case "auth":
                continue
            case "dockerAuth":
                guard let registries = object["registries"] as? [String], !registries.isEmpty else {
                    throw CommandFailure(message: "configuration \(file): registries: a non-empty list of registry hosts is required")
                }
                guard let credentials = object["credentials"] as? [String: Any], let user = credentials["user"] as? String,
                      let password = credentials["password"] as? String else {
                    throw CommandFailure(message: "configuration \(file): credentials: user and password are required")
                }
                for registry in registries {
                    dockerCredentials[registry] = RegistryCredentials(user: user, password: password)
                }
            default:
                throw CommandFailure(message: "configuration \(file): rktKind must be \"dockerAuth\" or \"auth\"")
            }
        }
    }
}
