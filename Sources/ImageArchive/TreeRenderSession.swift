#if canImport(Glibc)
import Glibc
#endif
import LinuxSupport

/// The state of one render: the root directory, the counters the limits apply to, and the directories
/// whose mode and times are set once everything below them is written (as tar does).
final class TreeRenderSession {
    let root: DirectoryHandle
    let limits: RenderLimits
    let mode: TreeRenderMode
    /// Ownership is only reproduced when we can: as root.
    let setsOwnership = geteuid() == 0
    var summary = RenderSummary()
    /// Directory entries by their path below rootfs ("" for rootfs itself); applied deepest first.
    var deferredDirectories: [String: DeferredDirectory] = [:]
    /// Bytes held by `deferredDirectories`, bounded by `maxDeferredBytes`.
    var deferredBytes = 0
    /// Far above what real images need (about 64 bytes plus two paths per directory).
    static let maxDeferredBytes = 64 << 20
    /// Layer mode: paths the current layer created, which its own whiteouts must not remove.
    var createdInLayer: Set<String> = []
    var createdInLayerBytes = 0
    /// Paths (below the root) of the device nodes left out, so hardlinks to them are left out too.
    var skippedDevicePaths: Set<String> = []

    init(rootPath: String, limits: RenderLimits, mode: TreeRenderMode = .aci) throws {
        do {
            root = try DirectoryHandle.openRoot(rootPath)
        } catch let error as SystemError {
            throw ImageArchiveError.targetUnusable(path: rootPath, reason: error.description)
        }
        self.limits = limits
        self.mode = mode
    }

    func render(from reader: ArchiveReadHandle, include: ((String) -> Bool)?) throws -> RenderSummary {
        while let entry = try reader.nextEntry() {
            summary.entriesRead += 1
            guard summary.entriesRead <= limits.maxEntries else {
                throw ImageArchiveError.limitExceeded(
                    entry: EntryPath.abbreviated(entry.path), reason: "the archive has more than \(limits.maxEntries) entries")
            }
            let path = try EntryPath(entry.path, limits: limits)
            guard let relative = mode == .layer ? path.components : path.rootfsRelative else { continue }
            if mode == .layer, let name = relative.last, name.hasPrefix(Whiteout.prefix) {
                try applyWhiteout(named: name, in: Array(relative.dropLast()), entry: entry)
                continue
            }
            if let include, !relative.isEmpty, !include(relative.joined(separator: "/")) { continue }
            if try skipsDeviceNode(entry, relative: relative) { continue }
            try validate(entry, relative: relative)
            do {
                try materialize(entry, at: relative, reader: reader)
            } catch let error as SystemError {
                throw ImageArchiveError.entryFailed(entry: entry.path, reason: error.description)
            }
            summary.entriesWritten += 1
            if mode == .layer { try rememberCreated(relative, entry: entry.path) }
        }
        try applyDeferredDirectories()
        return summary
    }

    /// Device nodes are never created from an image (as docker, podman and umoci do, they are left out:
    /// debootstrap trees and many docker images carry a /dev); the entry is recorded in the summary and
    /// nothing else changes. A hardlink to a device node left out is left out too.
    private func skipsDeviceNode(_ entry: ACIEntry, relative: [String]) throws -> Bool {
        switch entry.kind {
        case .characterDevice, .blockDevice:
            guard !relative.isEmpty else {
                throw ImageArchiveError.unsafeEntry(entry: entry.path, reason: "rootfs must be a directory")
            }
            if skippedDevicePaths.count < limits.maxEntries { skippedDevicePaths.insert(relative.joined(separator: "/")) }
        case .hardlink:
            guard let target = try? EntryPath(entry.linkTarget ?? "", limits: limits),
                  let components = mode == .layer ? target.components : target.rootfsRelative,
                  skippedDevicePaths.contains(components.joined(separator: "/"))
            else { return false }
        default:
            return false
        }
        summary.deviceNodesSkipped += 1
        if summary.skippedDeviceNodes.count < RenderSummary.maxRecordedSkips {
            summary.skippedDeviceNodes.append(EntryPath.abbreviated(entry.path))
        }
        return true
    }

    /// Refuses what no tree should receive, before anything is created for the entry.
    private func validate(_ entry: ACIEntry, relative: [String]) throws {
        switch entry.kind {
        case .characterDevice, .blockDevice:
            preconditionFailure("skipsDeviceNode(_:relative:) leaves \(entry.kind) out")
        case .socket, .unknown:
            throw ImageArchiveError.unsafeEntry(entry: entry.path, reason: "unsupported entry type \(entry.kind)")
        case .regular:
            guard entry.size >= 0 else {
                throw ImageArchiveError.unsafeEntry(entry: entry.path, reason: "negative file size \(entry.size)")
            }
            guard entry.size <= limits.maxFileSize else {
                throw ImageArchiveError.limitExceeded(
                    entry: entry.path, reason: "file is \(entry.size) bytes, over the limit of \(limits.maxFileSize)")
            }
            guard entry.size <= limits.maxTotalBytes - summary.bytesWritten else {
                throw ImageArchiveError.limitExceeded(
                    entry: entry.path, reason: "the tree would exceed the limit of \(limits.maxTotalBytes) bytes")
            }
        case .symlink, .hardlink:
            let target = entry.linkTarget ?? ""
            guard !target.isEmpty else {
                throw ImageArchiveError.unsafeEntry(entry: entry.path, reason: "link has an empty target")
            }
            guard target.utf8.count <= limits.maxPathLength else {
                throw ImageArchiveError.limitExceeded(
                    entry: entry.path, reason: "link target is over the limit of \(limits.maxPathLength) bytes")
            }
        case .directory, .fifo:
            break
        }
        if relative.isEmpty && entry.kind != .directory {
            throw ImageArchiveError.unsafeEntry(entry: entry.path, reason: "rootfs must be a directory")
        }
        let attributeBytes = entry.extendedAttributes.reduce(0) { $0 + $1.name.utf8.count + $1.value.count }
        guard attributeBytes <= limits.maxExtendedAttributeBytes else {
            throw ImageArchiveError.limitExceeded(
                entry: entry.path,
                reason: "extended attributes are \(attributeBytes) bytes, over the limit of \(limits.maxExtendedAttributeBytes)")
        }
        for id in [entry.uid, entry.gid] where id < 0 || id >= Int64(UInt32.max) {
            throw ImageArchiveError.unsafeEntry(entry: entry.path, reason: "owner id \(id) is out of range")
        }
    }

    private func materialize(_ entry: ACIEntry, at relative: [String], reader: ArchiveReadHandle) throws {
        guard let name = relative.last else {
            try applyOwnershipAndAttributes(to: root.descriptor, entry: entry)
            try deferDirectory(relative, entry: entry)
            return
        }
        let parent = try parentDirectory(of: relative, entry: entry.path, create: true)
        switch entry.kind {
        case .directory: try makeDirectory(name, in: parent, entry: entry, relative: relative)
        case .regular: try writeFile(name, in: parent, entry: entry, reader: reader)
        case .symlink: try makeSymlink(name, in: parent, entry: entry)
        case .hardlink: try makeHardlink(name, in: parent, entry: entry)
        case .fifo: try makeFIFO(name, in: parent, entry: entry)
        case .characterDevice, .blockDevice, .socket, .unknown:
            preconditionFailure("validate(_:relative:) refuses \(entry.kind), skipsDeviceNode leaves devices out")
        }
    }

    /// Remembers a directory's mode and times for the end of the render (tar's delayed set-stat).
    func deferDirectory(_ relative: [String], entry: ACIEntry) throws {
        try deferDirectory(DeferredDirectory(relative: relative, entry: entry), entry: entry.path)
    }

    func deferDirectory(_ record: DeferredDirectory, entry: String) throws {
        if let previous = deferredDirectories.updateValue(record, forKey: record.relativePath) {
            deferredBytes -= previous.footprint
        }
        deferredBytes += record.footprint
        guard deferredBytes <= Self.maxDeferredBytes else {
            throw ImageArchiveError.limitExceeded(
                entry: EntryPath.abbreviated(entry), reason: "too many directories to track (over \(Self.maxDeferredBytes) bytes of paths)")
        }
    }
}
