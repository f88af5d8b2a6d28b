import ArgumentParser
import ImageStore

/// `rkt image rm IMAGE…`: removes each image; carries on past failures and exits 254 if any failed. An image a
/// pod still needs (preparing, prepared or running) is not removed: the error names the pod.
struct ImageRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove one or more images with the given IDs or image names from the local store.")

    @OptionGroup var globals: GlobalOptions

    @Argument(help: "Image IDs (sha512-…, any unique prefix) or names[:version].")
    var images: [String]

    func run() throws {
        let store = try globals.openStore()
        let users = PodImageUsers(repository: try globals.openPodRepository())
        var removed = 0
        var failures = 0
        for image in images {
            do {
                let record = try store.resolve(image)
                if let user = try users.users(of: record.key).first {
                    throw CommandFailure(message: "image \(record.key) is used by pod \(user.uuid) (\(user.state.rawValue)); "
                        + "stop the pod first (rkt stop \(user.uuid)), or remove the image once it has exited")
                }
                try store.remove(record)
                print("successfully removed aci for image: \"\(record.key)\"")
                removed += 1
            } catch let failure as CommandFailure {
                Console.error("rkt: error removing image \(image): \(failure.message)")
                failures += 1
            } catch {
                Console.error("rkt: error removing image \(image): \(error)")
                failures += 1
            }
        }
        if removed > 0 { print("\(removed) image(s) successfully removed") }
        if failures > 0 { throw CommandFailure(message: "\(failures) image(s) cannot be removed") }
    }
}
