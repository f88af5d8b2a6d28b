import Glibc

/// `access(2)` without Foundation, for the few existence checks cgroup code makes.
enum KernelFile {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
