import Glibc

/// `access(2)` without Foundation, for the few existence checks cgroup code makes.
public enum KernelFile {
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
