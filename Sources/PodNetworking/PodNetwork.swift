import CNI
import CStage1
import Foundation
import LinuxSupport
import Pods

/// The pod's network namespace and its CNI networks. `--net=host` keeps the host's namespace; `none` gives a
/// new namespace with only `lo`; a list of networks gives a new namespace bound to the file `POD/netns` (so
/// that the plugins and `gc` can name it after the pod's processes are gone), and each network is added with
/// CNI ADD from the host's namespace — interface eth0, eth1, … in list order, CNI_CONTAINERID the pod UUID.
/// Every attachment is recorded in `POD/net-info.json` before its ADD, and its result after; when any step
/// fails, every network is deleted again and the namespace file removed, so nothing stays allocated.
public struct PodNetwork {
    public let files: PodFiles
    public let uuid: String

    public init(files: PodFiles, uuid: String) {
        self.files = files
        self.uuid = uuid
    }

    public var netnsPath: String { files.directory + "/netns" }
    public var recordPath: String { files.directory + "/" + NetworkRecord.fileName }
    /// Written once the networks of an exited pod were deleted (`releaseAtExit`): gc then deletes nothing.
    public var releasedPath: String { files.directory + "/net-released" }

    /// Where the plugins are looked for (and what they get as CNI_PATH).
    public static let pluginDirectories = PluginRunner.defaultPluginDirectories

    /// Config dirs whose `net.d` defines named networks: the local (`--local-config`), then the system one.
    public static func configDirectories(_ options: Stage1Arguments) -> [String] {
        [options.localConfig, options.systemConfig ?? "/usr/lib/rkt"]
    }

    /// Creates and joins the pod's network namespace (not for `host`). Must run while this process is
    /// single-threaded and before its mount namespace is unshared (the netns file is bound in the host's).
    /// Returns the DNS configuration the networks returned (resolv.conf text), and the rollback that deletes
    /// the networks again unless the caller keeps them.
    public func enter(_ selection: NetworkSelection, options: Stage1Arguments, ports: [PortMapping]) throws -> (dns: String?, rollback: NetworkRollback?) {
        let requests = selection.requests
        guard !requests.isEmpty else {
            if selection == .none, cstage1_unshare(cstage1_clone_newnet) != 0 { throw SystemError.current("unshare network namespace") }
            return (nil, nil)
        }
        var rollback: NetworkRollback?
        let host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)
        guard host >= 0 else { throw SystemError.current("open", path: "/proc/self/ns/net") }
        defer { close(host) }
        guard cstage1_unshare(cstage1_clone_newnet) == 0 else { throw SystemError.current("unshare network namespace") }
        do {
            try bindNamespaceFile()
            guard cstage1_setns(host, cstage1_clone_newnet) == 0 else { throw SystemError.current("return to the host network namespace") }
            try ForkedTask.run("CNI ADD") { try add(requests, options: options, ports: ports) }
            rollback = try NetworkRollback.arm(self)
            let pod = open(netnsPath, O_RDONLY | O_CLOEXEC)
            guard pod >= 0 else { throw SystemError.current("open", path: netnsPath) }
            defer { close(pod) }
            guard cstage1_setns(pod, cstage1_clone_newnet) == 0 else { throw SystemError.current("enter network namespace", path: netnsPath) }
            let dns = try recorded().compactMap { $0.result?.dns }.first { !$0.isEmpty }
            return (dns?.resolvConf, rollback)
        } catch {
            _ = cstage1_setns(host, cstage1_clone_newnet)
            if let rollback { rollback.rollBack() } else { try? ForkedTask.run("CNI DEL") { try release() } }
            throw error
        }
    }

    private func bindNamespaceFile() throws {
        let fd = open(netnsPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o444)
        guard fd >= 0 else { throw SystemError.current("create network namespace file", path: netnsPath) }
        close(fd)
        try Mounter.bind("/proc/self/ns/net", on: netnsPath, readOnly: false, recursive: false)
    }

    /// ADD for every network, in order (in a child: see ForkedTask). On failure, DELs what was added.
    private func add(_ requests: [NetworkSelection.Request], options: Stage1Arguments, ports: [PortMapping]) throws {
        let loader = NetworkConfigLoader(configDirectories: Self.configDirectories(options))
        let runner = PluginRunner(pluginDirectories: Self.pluginDirectories)
        let invoker = NetworkInvoker(runner: runner)
        var attachments: [NetworkAttachment] = []
        var portsGiven = false
        do {
            for (index, request) in requests.enumerated() {
                let network = try loader.load(request.name)
                let pluginPath = (try? runner.locate(network.pluginTypes.first ?? "")) ?? ""
                let usesPorts = !portsGiven && network.declares(capability: "portMappings")
                portsGiven = portsGiven || usesPorts
                var attachment = NetworkAttachment(network: network, pluginPath: pluginPath, ifName: "eth\(index)", args: Self.cniArgs(request),
                                                   containerID: uuid, netns: netnsPath, portMappings: usesPorts ? ports : [])
                attachments.append(attachment)
                try write(attachments)
                let (result, raw) = try invoker.add(attachment)
                attachment.record(result: result, raw: raw)
                attachments[attachments.count - 1] = attachment
                try write(attachments)
            }
            if !ports.isEmpty && !portsGiven {
                throw CNIError("--port: none of the networks \(requests.map(\.name).joined(separator: ",")) forwards ports (no plugin with the portMappings capability)")
            }
        } catch {
            for attachment in attachments.reversed() { try? invoker.delete(attachment) }
            try? FileManager.default.removeItem(atPath: recordPath)
            throw error
        }
    }

    /// CNI_ARGS for a network: the user's `K=V` pairs after CNI's `IgnoreUnknown=1` convention, so that the
    /// plugins of a chain that do not know a key (the bridge plugin and `IP`, which only IPAM reads) pass it on.
    public static func cniArgs(_ request: NetworkSelection.Request) -> String {
        guard !request.args.isEmpty else { return "" }
        if request.args.contains(where: { $0.key == "IgnoreUnknown" }) { return request.cniArgs }
        return "IgnoreUnknown=1;" + request.cniArgs
    }

    /// The recorded attachments (none when the pod had no networks).
    public func recorded() throws -> [NetworkAttachment] {
        guard FileManager.default.fileExists(atPath: recordPath) else { return [] }
        let data = try Data(contentsOf: URL(fileURLWithPath: recordPath))
        return try NetworkRecord.decode(data, path: recordPath)
    }

    private func write(_ attachments: [NetworkAttachment]) throws {
        try AtomicFile.write(Array(try NetworkRecord.encode(attachments)), to: recordPath, mode: 0o644)
    }

    /// Whether `path` is a bound namespace (nsfs), not just the empty file it is bound on. DEL gets an empty
    /// CNI_NETNS when the namespace is gone (the spec's way to say so), and releases what it still can.
    public static func isNamespaceFile(_ path: String) -> Bool {
        var bound = stat(), namespaces = stat()
        // Namespace files all live on the one nsfs filesystem: same device as this process's own.
        return stat(path, &bound) == 0 && stat("/proc/self/ns/net", &namespaces) == 0 && bound.st_dev == namespaces.st_dev
    }

    /// DEL for every recorded network (last first, going on past failures), then the namespace file is
    /// unmounted and removed. Used by `gc`, and by `run` to undo a failed setup. Throws the first failure,
    /// after everything was tried; the record is kept when a DEL failed, so that a later gc tries again.
    /// A pod whose networks were already released when it exited (`releasedPath`) gets no second DEL: its
    /// addresses may belong to another pod by now.
    public func release() throws {
        try release(keepingRecord: false)
    }

    /// The same DELs when the pod has exited, but the record stays (rkt status/list show the pod's addresses)
    /// and is marked released for `gc`.
    public func releaseAtExit() throws {
        try release(keepingRecord: true)
    }

    private func release(keepingRecord: Bool) throws {
        let invoker = NetworkInvoker(runner: PluginRunner(pluginDirectories: Self.pluginDirectories))
        var failures: [String] = []
        var attachments: [NetworkAttachment] = []
        let released = FileManager.default.fileExists(atPath: releasedPath)
        do {
            if !released { attachments = try recorded() }
        } catch {
            failures.append("\(error)")
        }
        // The recorded path names the directory the pod ran in; gc finds the pod moved (run → exited-garbage).
        let netns = Self.isNamespaceFile(netnsPath) ? netnsPath : ""
        for var attachment in attachments.reversed() {
            attachment.netns = netns
            do {
                try invoker.delete(attachment)
            } catch {
                failures.append("\(error)")
            }
        }
        if failures.isEmpty && keepingRecord {
            let marker = open(releasedPath, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            if marker >= 0 { close(marker) } else { failures.append("\(SystemError.current("create", path: releasedPath))") }
        } else if failures.isEmpty {
            try? FileManager.default.removeItem(atPath: recordPath)
            try? FileManager.default.removeItem(atPath: releasedPath)
        }
        if FileManager.default.fileExists(atPath: netnsPath) {
            if umount2(netnsPath, Int32(MNT_DETACH)) != 0 && errno != EINVAL && errno != ENOENT {
                failures.append("\(SystemError.current("umount", path: netnsPath))")
            }
            if unlink(netnsPath) != 0 && errno != ENOENT { failures.append("\(SystemError.current("remove", path: netnsPath))") }
        }
        if !failures.isEmpty { throw CNIError(failures.joined(separator: "; ")) }
    }
}
