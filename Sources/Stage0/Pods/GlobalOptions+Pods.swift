import Foundation
import ImageStore
import Pods

extension GlobalOptions {
    /// The pods under the data directory.
    func openPodRepository() throws -> PodRepository {
        try PodRepository(dataDirectory: try resolvedDataDirectory())
    }

    /// Finds a pod by UUID or unique prefix, with rkt's exit status on failure.
    func findPod(_ text: String, in repository: PodRepository) throws -> Pod {
        do {
            return try repository.find(text)
        } catch let error as PodError {
            throw CommandFailure(message: error.description)
        }
    }

    /// `--uuid-file` support: the UUID written by `--uuid-file-save`.
    static func uuid(fromFile path: String) throws -> String {
        guard let text = try SmallFile.read(path, limit: 256) else {
            throw CommandFailure(message: "--uuid-file \(path): no such file")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The stage1 flags every flavor gets from the global options.
    func stage1Arguments(uuid: String) -> Stage1Arguments {
        var arguments = Stage1Arguments(uuid: uuid)
        arguments.debug = debug
        // The stage1 runs in the pod's directory: relative config paths would point elsewhere there.
        arguments.localConfig = Self.absolute(localConfig)
        arguments.systemConfig = Self.absolute(systemConfig)
        let disabled = insecure.disabled
        arguments.disableCapabilities = disabled.contains("capabilities")
        arguments.disablePaths = disabled.contains("paths")
        arguments.disableSeccomp = disabled.contains("seccomp")
        return arguments
    }
}
