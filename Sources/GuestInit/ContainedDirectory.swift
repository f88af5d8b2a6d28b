import CKvmPod
import Glibc
import LinuxSupport

/// A directory inside an app's root, opened by walking its path one component at a time with O_NOFOLLOW,
/// so a symlink in the image can never send a mount or a file GuestInit writes outside the root. Missing
/// directories are created on the way when asked. Mount on `mountPath` (/proc/self/fd/N).
struct ContainedDirectory: ~Copyable {
    let descriptor: Int32

    init(root: String, path: String, create: Bool) throws {
        var current = open(root, ckvmpod_o_path | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw SystemError.current("open", path: root) }
        for component in path.split(separator: "/") where component != "." {
            let name = String(component)
            guard name != ".." else {
                close(current)
                throw SystemError(errno: EINVAL, operation: "resolve (`..` in path)", path: root + path)
            }
            var next = openat(current, name, ckvmpod_o_path | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create {
                if mkdirat(current, name, 0o755) != 0, errno != EEXIST {
                    let error = SystemError.current("mkdir", path: root + path)
                    close(current)
                    throw error
                }
                next = openat(current, name, ckvmpod_o_path | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                let error = SystemError.current("open (symlinks and non-directories are refused)", path: root + path)
                close(current)
                throw error
            }
            close(current)
            current = next
        }
        descriptor = current
    }

    var mountPath: String { "/proc/self/fd/\(descriptor)" }

    /// A descriptor usable with openat for creating files (ckvmpod_o_path descriptors cannot be).
    func openForFiles() throws -> Int32 {
        let fd = openat(descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open", path: mountPath) }
        return fd
    }

    deinit { close(descriptor) }
}
