import Foundation
import LinuxSupport

/// The few mounts pods need, each failure naming its target.
public enum Mounter {
    /// An overlay with one read-only lower directory (an image tree) and the pod's own upper/work directories.
    public static func overlay(lower: String, upper: String, work: String, target: String) throws {
        let options = "lowerdir=\(escape(lower)),upperdir=\(escape(upper)),workdir=\(escape(work))"
        guard mount("overlay", target, "overlay", 0, options) == 0 else {
            throw SystemError.current("mount overlay (lower \(lower))", path: target)
        }
    }

    /// A read-only overlay of several directories, the first one on top (whiteouts in upper layers hide
    /// files below, as in the writable overlay they came from).
    public static func readOnlyOverlay(lowers: [String], target: String) throws {
        let options = "lowerdir=" + lowers.map(escape).joined(separator: ":")
        guard mount("overlay", target, "overlay", UInt(MS_RDONLY), options) == 0 else {
            throw SystemError.current("mount read-only overlay", path: target)
        }
    }

    /// Creates the mount point for binding `source` at `target` if it is missing: a directory for a directory
    /// source, an empty file for anything else (parents included).
    public static func makeMountPoint(for source: String, at target: String) throws {
        if FileSystem.exists(target) { return }
        if FileSystem.isDirectory(source) {
            try FileSystem.makeDirectories(target, mode: 0o755)
        } else {
            try FileSystem.makeDirectories(AtomicFile.parentDirectory(of: target), mode: 0o755)
            let fd = try retryingOnInterrupt("create mount point", path: target) {
                open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            }
            close(fd)
        }
    }

    /// Bind-mounts `source` on `target`; read-only binds are remounted read-only as the kernel requires.
    public static func bind(_ source: String, on target: String, readOnly: Bool, recursive: Bool) throws {
        let flags = UInt(MS_BIND) | (recursive ? UInt(MS_REC) : 0)
        guard mount(source, target, nil, flags, nil) == 0 else {
            throw SystemError.current("bind mount \(source) on", path: target)
        }
        if readOnly {
            let remount = UInt(MS_BIND) | UInt(MS_REMOUNT) | UInt(MS_RDONLY) | (recursive ? UInt(MS_REC) : 0)
            guard mount(nil, target, nil, remount, nil) == 0 else {
                throw SystemError.current("remount read-only", path: target)
            }
        }
    }

    /// Makes every mount in this namespace a slave, so nothing mounted here propagates back to the host.
    public static func makeRootSlave() throws {
        guard mount(nil, "/", nil, UInt(MS_REC) | UInt(MS_SLAVE), nil) == 0 else {
            throw SystemError.current("make mounts slave", path: "/")
        }
    }

    /// Overlay option values escape `,` `:` and `\` with a backslash.
    static func escape(_ path: String) -> String {
        var out = ""
        for character in path {
            if character == "," || character == ":" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
