import Foundation
import LinuxSupport

/// The calling process's mounts from `/proc/self/mountinfo`, used to find and undo every mount below a pod
/// directory (gc, failed starts) so that nothing stays mounted once a pod is gone.
public enum MountTable {
    /// Mount points in mount order (each line's fifth field, with `\040`-style escapes decoded).
    public static func mountPoints(mountinfo: String) -> [String] {
        mountinfo.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 4 else { return nil }
            return unescape(String(fields[4]))
        }
    }

    public static func currentMountPoints() throws -> [String] {
        let text = try SmallFile.read("/proc/self/mountinfo", limit: 64 << 20) ?? ""
        return mountPoints(mountinfo: text)
    }

    /// Mount points at or below `directory`, last-mounted first (the order to unmount them in).
    public static func mountPoints(under directory: String, in points: [String]) -> [String] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return points.filter { $0 == directory || $0.hasPrefix(prefix) }.reversed()
    }

    /// Detaches every mount at or below `directory`. Returns how many were undone.
    @discardableResult
    public static func unmountAll(under directory: String) throws -> Int {
        let real = realpath(directory, nil).map { pointer -> String in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? directory
        var count = 0
        for _ in 0..<8 {
            let points = mountPoints(under: real, in: try currentMountPoints())
            if points.isEmpty { return count }
            for point in points {
                if umount2(point, Int32(MNT_DETACH)) == 0 {
                    count += 1
                } else if errno != EINVAL && errno != ENOENT {
                    throw SystemError.current("umount", path: point)
                }
            }
        }
        return count
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "\\"), index + 3 < source.count,
               let value = UInt8(String(decoding: source[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
