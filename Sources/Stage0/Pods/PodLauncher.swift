import AppC
import Foundation
import ImageStore
import LinuxSupport
import Pods

/// Starts a prepared pod, as rkt's stage0 does: mount the stage1 tree and each app's tree as overlays in the
/// pod directory (the pod's own upper directories take its writes; trees stay shared and untouched), hold
/// each tree's lock shared so `rkt image rm/gc` leave it alone, move the pod to `run/`, and exec the stage1
/// `run` entrypoint in the pod directory with the pod lock inherited as RKT_LOCK_FD.
struct PodLauncher {
    /// A stage1 image annotation of our own: the stage1 wants each app's tree as a read-only disk image of
    /// this format (`erofs`), built once beside the tree, its path written to `appsinfo/APP/rootDisk`.
    static let rootDiskAnnotation = "rkt.swift/stage1/app-root-disk"  // the kvm stage1 reads appsinfo/APP/rootDisk

    let store: ImageStore
    let globals: GlobalOptions

    /// Never returns on success: the process becomes the stage1. `stage1Files` (path inside the stage1
    /// rootfs → text) are written into the pod's stage1 overlay first (rkt's `etc/rkt-resolv.conf`, …).
    func launch(_ pod: Pod, arguments: Stage1Arguments, stage1Files: [String: String] = [:]) throws -> Never {
        let files = pod.files
        let manifest = try PodReport.manifest(of: pod)
        var treeLocks: [Int32] = []
        do {
            let stage1 = try record(keyFile: files.stage1ImageKey, what: "the stage1 image")
            try Stage1Compatibility.check(manifest, net: arguments.net, stage1Name: stage1.name)
            let stage1Tree = try lockedTree(for: stage1, locks: &treeLocks)
            guard let entrypoint = try store.manifest(of: stage1).annotation(Stage1Selector.runAnnotation) else {
                throw CommandFailure(message: "stage1 image \(stage1.name) has no \(Stage1Selector.runAnnotation) annotation")
            }
            let rootDiskFormat = try store.manifest(of: stage1).annotation(Self.rootDiskAnnotation)
            if let rootDiskFormat, rootDiskFormat != "erofs" {
                throw CommandFailure(message: "stage1 image \(stage1.name) asks for \(rootDiskFormat) app disks; this rkt builds erofs only")
            }
            try overlay(lower: stage1Tree.rootfs, name: "stage1", target: files.stage1Rootfs, in: files)
            for (path, text) in stage1Files.sorted(by: { $0.key < $1.key }) {
                let target = try ContainedPath.resolve(path, in: files.stage1Rootfs)
                try FileSystem.makeDirectories(AtomicFile.parentDirectory(of: target), mode: 0o755)
                try AtomicFile.write(Array(text.utf8), to: target, mode: 0o644)
            }
            for app in manifest.apps {
                let name = app.name.value
                let tree = try lockedTree(for: try record(keyFile: files.appImageKey(name), what: "app \(name)'s image"), locks: &treeLocks)
                let target = files.appRootfs(name)
                try FileSystem.makeDirectories(target, mode: 0o755)
                try overlay(lower: tree.rootfs, name: "app-" + name, target: target, in: files)
                if rootDiskFormat != nil {
                    let disk = try store.diskImage(of: tree) { Console.error("rkt: \($0)") }
                    try AtomicFile.write(Array((disk + "\n").utf8), to: files.appsInfo + "/" + name + "/rootDisk")
                }
            }
            try pod.move(to: .run)
            try execStage1(pod: pod, entrypoint: entrypoint, arguments: arguments, treeLocks: treeLocks)
        } catch {
            for fd in treeLocks { close(fd) }
            switch pod.location {
            case .run: break
            case .prepared: _ = try? MountTable.unmountAll(under: pod.path)
            default: try? PodReaper(store: store, globals: globals).discard(pod)
            }
            throw error
        }
    }

    private func record(keyFile: String, what: String) throws -> ImageRecord {
        guard let key = try SmallFile.read(keyFile, limit: 256)?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw CommandFailure(message: "\(keyFile): missing (the pod was not prepared completely)")
        }
        do {
            return try store.resolve(key)
        } catch {
            throw CommandFailure(message: "\(what) \(key) is no longer in the store: \(error)")
        }
    }

    /// Renders (if needed) and locks the tree shared; the descriptor goes to stage1 with the exec.
    private func lockedTree(for record: ImageRecord, locks: inout [Int32]) throws -> ImageStore.RenderedTree {
        let shared = try store.sharedTree(for: record)
        locks.append(shared.lock.releaseDescriptor())
        return shared.tree
    }

    private func overlay(lower: String, name: String, target: String, in files: PodFiles) throws {
        if FileSystem.exists(files.noOverlayMarker) {
            // --no-overlay: a full copy (owners, modes, links, xattrs, sparse files) that the pod may change.
            globals.debugLog("copying \(lower) to \(target) (--no-overlay)")
            do {
                try HostTool.run("cp", ["-a", "--reflink=auto", "--sparse=always", lower + "/.", target], package: "coreutils")
            } catch {
                throw CommandFailure(message: "--no-overlay: copying the tree \(lower): \(error)")
            }
            return
        }
        let upper = files.overlayUpper(name), work = files.overlayWork(name)
        try FileSystem.makeDirectories(upper, mode: 0o755)
        try FileSystem.makeDirectories(work, mode: 0o700)
        do {
            try Mounter.overlay(lower: lower, upper: upper, work: work, target: target)
        } catch {
            throw CommandFailure(message: "\(error) (the fly stage1 needs root and overlayfs)")
        }
    }

    private func execStage1(pod: Pod, entrypoint: String, arguments: Stage1Arguments, treeLocks: [Int32]) throws -> Never {
        let files = pod.files
        let program = try files.stage1Entrypoint(entrypoint)
        let lockFD = pod.lockDescriptor
        for fd in treeLocks + [lockFD] {
            let flags = fcntl(fd, F_GETFD)
            _ = fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC)
        }
        guard chdir(files.directory) == 0 else { throw SystemError.current("chdir", path: files.directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["RKT_LOCK_FD"] = String(lockFD)
        let argv = [program] + arguments.arguments
        globals.debugLog("exec \(argv.joined(separator: " ")) in \(files.directory)")
        try ProcessExec.replace(program: program, arguments: argv,
                                environment: environment.map { "\($0.key)=\($0.value)" })
    }
}
