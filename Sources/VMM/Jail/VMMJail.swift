import CLinux
import CStage1
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// Closes the VMM into its jail once everything it needs is open (kernel, initrd, disks, console, taps,
/// /dev/kvm, the vsock listener) and before any vCPU thread starts:
///
/// 1. new mount, IPC, UTS and network namespaces, every mount made private (nothing propagates back to the
///    host). The network namespace is empty: the taps stay in the namespace they were opened in (the pod's),
///    pathname Unix sockets (vsock) work across namespaces, and abstract Unix sockets, which are per network
///    namespace and not files, become unreachable (the filter allows `socket(AF_UNIX)`; CVE-2020-15257 was a
///    container reaching containerd-shim's abstract socket);
/// 2. each bound directory of the plan cloned as a detached mount (open_tree), before anything covers it;
/// 3. an empty tmpfs mounted over `stagingDirectory` (in the private namespace only), holding the plan's
///    directories, with each clone moved onto its own path there (read-write, nosuid, nodev, noexec);
/// 4. pivot_root into the tmpfs, the old root detached, the new root remounted read-only, and the
///    working directory entered at its own path.
///
/// Needs CAP_SYS_ADMIN (the caller drops every capability afterwards). The process must be single-threaded:
/// namespaces and the root are per thread, so a thread started earlier would stay outside.
public enum VMMJail {
    /// Where the jail's tmpfs is mounted before pivot_root makes it the root: any directory would do; the
    /// mount exists only in the VMM's own namespace, so the host's /tmp is neither touched nor hidden.
    static let stagingDirectory = "/tmp"
    /// Directories only: the root is read-only once entered.
    static let tmpfsOptions = "mode=0755,size=64k,nr_inodes=1024"
    static let openTreeSyscall = 428        // open_tree, <asm/unistd.h> (same number on every architecture)
    static let moveMountSyscall = 429       // move_mount
    static let openTreeClone = 1            // OPEN_TREE_CLONE, <linux/mount.h>
    static let moveMountEmptyPath = 0x4     // MOVE_MOUNT_F_EMPTY_PATH
    static let currentDirectory = -100      // AT_FDCWD

    public static func enter(_ plan: VMMJailPlan) throws {
        let threads = try threadCount(status: HostFile.read("/proc/self/status", limit: 1 << 16))
        guard threads == 1 else { throw VMMJailError.threadsAlreadyRunning(threads) }
        try check("unshare mount, IPC, UTS and network namespaces") {
            cstage1_unshare(cstage1_clone_newns | cstage1_clone_newipc | cstage1_clone_newuts | cstage1_clone_newnet)
        }
        try check("make mounts private", path: "/") { mount(nil, "/", nil, UInt(MS_REC | MS_PRIVATE), nil) }

        var clones: [(directory: String, descriptor: Int32)] = []
        defer { for clone in clones { close(clone.descriptor) } }
        for directory in plan.boundDirectories {
            let descriptor = try check("open_tree (clone)", path: directory) {
                directory.withCString { path in
                    Int32(truncatingIfNeeded: clinux_syscall6(openTreeSyscall, currentDirectory, Int(bitPattern: path),
                                                              openTreeClone | Int(O_CLOEXEC), 0, 0, 0))
                }
            }
            clones.append((directory, descriptor))
        }

        let staging = stagingDirectory
        try check("mount the jail's tmpfs on", path: staging) {
            mount("tmpfs", staging, "tmpfs", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), tmpfsOptions)
        }
        for directory in plan.directoriesToCreate {
            if mkdir(staging + directory, 0o755) != 0 && errno != EEXIST {
                throw SystemError.current("mkdir (jail)", path: staging + directory)
            }
        }
        for clone in clones {
            let target = staging + clone.directory
            try check("move_mount", path: target) {
                "".withCString { empty in
                    target.withCString { targetPath in
                        Int32(truncatingIfNeeded: clinux_syscall6(moveMountSyscall, Int(clone.descriptor), Int(bitPattern: empty),
                                                                  currentDirectory, Int(bitPattern: targetPath), moveMountEmptyPath, 0))
                    }
                }
            }
            try check("remount nosuid,nodev,noexec", path: target) {
                mount(nil, target, nil, UInt(MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC), nil)
            }
        }

        try check("chdir", path: staging) { chdir(staging) }
        try check("pivot_root", path: staging) { cstage1_pivot_root(".", ".") }
        try check("detach the old root") { umount2(".", Int32(MNT_DETACH)) }
        try check("chdir", path: "/") { chdir("/") }
        try check("remount the jail's root read-only") {
            mount(nil, "/", nil, UInt(MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), nil)
        }
        try check("chdir (in the jail)", path: plan.workingDirectory) { chdir(plan.workingDirectory) }
    }

    /// The `Threads:` count of a /proc/PID/status text.
    static func threadCount(status: [UInt8]) throws -> Int {
        for line in String(decoding: status, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Threads:") {
            if let count = Int(String(line.dropFirst("Threads:".count).filter { $0 != " " && $0 != "\t" })) { return count }
        }
        throw SystemError(errno: EINVAL, operation: "read the thread count (Threads:)", path: "/proc/self/status")
    }

    /// The working directory (getcwd), for the plan.
    public static func currentWorkingDirectory() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { throw SystemError.current("getcwd") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @discardableResult
    private static func check(_ operation: String, path: String? = nil, _ body: () -> Int32) throws -> Int32 {
        try retryingOnInterrupt(operation, path: path, body)
    }
}
