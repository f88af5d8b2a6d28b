import Glibc

/// How this host mounts cgroups: the unified v2 hierarchy at /sys/fs/cgroup, or v1 with one hierarchy per
/// controller below it (a tmpfs; a hybrid host's extra v2 mount at `unified` is not used). Only the root of a
/// v2 hierarchy has `cgroup.controllers`.
public enum CgroupHierarchy: Equatable, Sendable {
    case v1(root: String)
    case v2(root: String)

    public static let defaultRoot = "/sys/fs/cgroup"
    public static func detect(root: String = defaultRoot) -> CgroupHierarchy? {
        if KernelFile.exists(root + "/cgroup.controllers") { return .v2(root: root) }
        if v1Directory(root: root, controller: "memory") != nil { return .v1(root: root) }
        return nil
    }

    /// v1 only: the directory of the hierarchy holding `controller` (`cpu` may be mounted as `cpu,cpuacct`).
    public static func v1Directory(root: String, controller: String) -> String? {
        for candidate in [controller, controller == "cpu" ? "cpu,cpuacct" : controller, controller == "cpu" ? "cpuacct,cpu" : controller] {
            var info = stat()
            let path = root + "/" + candidate
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR,
               KernelFile.exists(path + "/cgroup.procs") {
                return path
            }
        }
        return nil
    }
}
