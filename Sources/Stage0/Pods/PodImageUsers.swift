import Foundation
import LinuxSupport
import Pods

/// The pods that still need an image: those preparing, prepared or running whose apps or stage1 were made
/// from it (`appsinfo/APP/imageKey`, `stage1ImageKey`). Pods that have exited (or are garbage) need it no more.
struct PodImageUsers {
    struct User {
        let uuid: String
        let state: PodState
    }

    let repository: PodRepository

    func users(of imageKey: String) throws -> [User] {
        var users: [User] = []
        for pod in try repository.all() {
            guard let state = try? pod.state(), [.preparing, .prepared, .running].contains(state) else { continue }
            let files = pod.files
            let apps = (try? FileManager.default.contentsOfDirectory(atPath: files.appsInfo)) ?? []
            let keyFiles = [files.stage1ImageKey] + apps.sorted().map(files.appImageKey)
            let keys = keyFiles.compactMap { try? SmallFile.read($0, limit: 256)?.trimmingCharacters(in: .whitespacesAndNewlines) }
            if keys.contains(imageKey) { users.append(User(uuid: pod.uuid, state: state)) }
        }
        return users
    }
}
