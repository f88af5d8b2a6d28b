import CKvmPod
import Glibc
import LinuxSupport

/// Thin checked wrappers of the file and mount system calls GuestInit makes (everything in-process: in the
/// guest on an emulating host each spawned helper program would cost about a second).
enum GuestFiles {
    static func mount(_ source: String, on target: String, type: String, flags: UInt = 0, data: String? = nil) throws {
        let result = data.map { options in options.withCString { CKvmPod.mount(source, target, type, flags, $0) } }
            ?? CKvmPod.mount(source, target, type, flags, nil)
        guard result == 0 else { throw SystemError.current("mount \(type) \(source)", path: target) }
    }

    /// Binds `source` on `target`. A read-only bind is made read-only at `GuestLayout.readOnlyStaging` first
    /// and bound from there (a bind copies its source mount's flags): `target` is a /proc/self/fd path
    /// (ContainedDirectory), which still names the directory below the new mount, so a remount through it
    /// fails with EINVAL.
    static func bind(_ source: String, on target: String, readOnly: Bool) throws {
        guard readOnly else {
            try mount(source, on: target, type: "none", flags: UInt(MS_BIND | MS_REC))
            return
        }
        let staging = GuestLayout.readOnlyStaging
        try makeDirectory(staging)
        try mount(source, on: staging, type: "none", flags: UInt(MS_BIND | MS_REC))
        defer { _ = umount2(staging, Int32(MNT_DETACH)) }
        try mount("none", on: staging, type: "none", flags: UInt(MS_BIND | MS_REMOUNT | MS_RDONLY))
        try mount(staging, on: target, type: "none", flags: UInt(MS_BIND | MS_REC))
    }

    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws {
        try FileSystem.makeDirectories(path, mode: mode)
    }

    /// Reads `path` from its start in 4 KiB blocks until a block holds a NUL byte (the config disk's text
    /// ends there), the file ends, or `limit` bytes were read; returns the bytes before the NUL. Memory grows
    /// with the text, not the limit: each page the guest touches costs a fault, slow on emulating hosts.
    static func readText(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
        defer { close(fd) }
        var text: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 4096)
        while text.count < limit {
            let count = try block.withUnsafeMutableBytes { buffer in
                try retryingOnInterrupt("read", path: path) { Glibc.read(fd, buffer.baseAddress!, buffer.count) }
            }
            if count == 0 { break }
            if let end = block[0..<count].firstIndex(of: 0) {
                text += block[0..<end]
                return text
            }
            text += block[0..<count]
        }
        guard text.count <= limit else { throw SystemError(errno: EFBIG, operation: "read (no end within \(limit) bytes)", path: path) }
        return text
    }

    /// Writes `text` to `name` inside the directory `directoryFD`, replacing what is there (never following it).
    static func write(_ text: String, named name: String, in directoryFD: Int32, mode: mode_t = 0o644) throws {
        _ = unlinkat(directoryFD, name, 0)  // an image's own file or symlink there is replaced, never followed
        let fd = openat(directoryFD, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SystemError.current("create", path: name) }
        defer { close(fd) }
        try writeAll(Array(text.utf8), to: fd, what: name)
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, what: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try bytes.withUnsafeBytes { buffer in
                try retryingOnInterrupt("write", path: what) { Glibc.write(fd, buffer.baseAddress! + offset, bytes.count - offset) }
            }
            offset += written
        }
    }

    /// Step timings on the console (uptime in seconds), when the host set RKT_GUEST_DEBUG=1 on the kernel
    /// command line (the kernel passes such words to init's environment). Console output costs VM exits.
    static let debugEnabled = getenv("RKT_GUEST_DEBUG").map { String(cString: $0) == "1" } ?? false

    static func debug(_ message: @autoclosure () -> String) {
        guard debugEnabled else { return }
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        let millis = Int(time.tv_nsec) / 1_000_000
        log("[\(time.tv_sec).\(millis < 100 ? (millis < 10 ? "00" : "0") : "")\(millis)] \(message())")
    }

    /// Writes to GuestInit's console (the kernel gave PID 1 /dev/console as stderr).
    static func log(_ message: String) {
        let bytes = Array(("rkt-guest-init: " + message + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
