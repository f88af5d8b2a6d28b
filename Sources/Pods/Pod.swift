import Foundation
import LinuxSupport

/// One pod, opened through its directory. The open directory descriptor carries the pod's lock, so the lock
/// survives every state transition (a rename of the directory) and dies with the last process holding it.
public final class Pod {
    public let uuid: String
    public let layout: PodLayout
    /// The state directory the pod was in when last looked at (see `refresh`).
    public private(set) var location: PodLayout.Directory
    let lock: FileLock
    /// The lock mode this process holds, if any.
    public private(set) var heldLock: FileLock.Mode?

    init(uuid: String, layout: PodLayout, location: PodLayout.Directory, lock: FileLock) {
        self.uuid = uuid
        self.layout = layout
        self.location = location
        self.lock = lock
    }

    public var path: String { layout.podDirectory(uuid, in: location) }
    public var files: PodFiles { PodFiles(directory: path) }
    public var lockDescriptor: Int32 { lock.descriptor }

    /// Takes the pod's lock, waiting for other holders.
    public func lock(_ mode: FileLock.Mode) throws {
        try lock.lock(mode)
        heldLock = mode
    }

    /// Takes the pod's lock if nobody else holds it in a conflicting mode.
    public func tryLock(_ mode: FileLock.Mode) throws -> Bool {
        guard try lock.tryLock(mode) else { return false }
        heldLock = mode
        return true
    }

    public func unlock() throws {
        try lock.unlock()
        heldLock = nil
    }

    /// Whether another process holds the pod's lock exclusively (a running stage1, a creator, a deleter).
    public func isLockedByOther() throws -> Bool {
        if heldLock == .exclusive { return false }
        if try lock.tryLock(.shared) {
            if heldLock == nil { try lock.unlock() }
            return false
        }
        return true
    }

    /// The pod's current state; re-finds the directory first in case another process moved it.
    public func state() throws -> PodState {
        try refresh()
        return PodState(directory: location, locked: heldLock == .exclusive ? true : try isLockedByOther())
    }

    /// Finds which state directory holds the pod now (its directory inode is the identity).
    public func refresh() throws {
        var own = stat()
        guard fstat(lock.descriptor, &own) == 0 else { throw SystemError.current("fstat", path: path) }
        for candidate in [location] + PodLayout.Directory.allCases {
            var info = stat()
            if stat(layout.podDirectory(uuid, in: candidate), &info) == 0,
               info.st_dev == own.st_dev, info.st_ino == own.st_ino {
                location = candidate
                return
            }
        }
        throw PodError.notFound(uuid)
    }

    /// Moves the pod to another state directory. The caller holds the lock exclusively.
    public func move(to destination: PodLayout.Directory) throws {
        let from = path
        let to = layout.podDirectory(uuid, in: destination)
        try retryingOnInterrupt("rename", path: from) { rename(from, to) }
        location = destination
        try AtomicFile.syncDirectory(containing: to)
    }

    /// Marks the time of a transition on the pod directory (read back by `modificationTime`).
    public func touch() throws {
        try retryingOnInterrupt("utimensat", path: path) { utimensat(AT_FDCWD, path, nil, 0) }
    }

    /// The directory's modification time (set by `touch` when `gc` marks the pod).
    public func modificationTime() throws -> Date {
        try Self.modificationTime(of: path) ?? Date()
    }

    /// Creation time: when the pod manifest was written.
    public func creationTime() -> Date? { Self.modificationTime(of: files.manifest) }

    /// Start time: when stage1 wrote the pod's `pid`, which every flavor does once the apps have started (the
    /// kvm flavor's `ppid` is written ~10–40 s before that, while the VM boots): none before, none for a pod
    /// whose apps never started.
    public func startTime() -> Date? { Self.modificationTime(of: files.pid) }

    static func modificationTime(of path: String) -> Date? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }
}
