import Foundation
import Pods

/// Host state of its own for a test that touches host networking or mounts: new network and mount namespaces
/// held by a small holder process, entered by every command the test runs there (`process`, `run`).
/// - network: only `lo`, up, holding also `hostAddress` (TEST-NET-2: the "host's global address", where
///   forwarded ports must answer); its own links, routes, taps, iptables/nftables rules, so every machine starts from the same state;
/// - mounts: private propagation, so every mount made inside (pod netns files, overlays) stays inside and goes
///   with the namespace; `/var/lib` is an overlay whose writable layer is a tmpfs of the sandbox, so CNI's IPAM
///   leases (`/var/lib/cni`) and anything else written there are private too.
/// `close()` ends the holder; once no process is left inside, the kernel drops both namespaces and all of their
/// mounts. The holder also ends when the test process dies (it waits for end of file on its stdin).
public final class HostSandbox: @unchecked Sendable {
    public struct Unavailable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public static let hostAddress = "198.51.100.1"
    static let unshare = "/usr/bin/unshare"
    static let nsenter = "/usr/bin/nsenter"
    public static let ip = "/sbin/ip"

    /// The holder's PID: `/proc/PID/ns/{net,mnt}` are the sandbox's namespaces, `/proc/PID/root` its file view.
    public let holderPID: Int32
    private let holder: Process
    private let keepAlive: Pipe
    private let scratch: String
    private var closed = false

    /// Starts the holder; throws `Unavailable` (a skip reason) without root or util-linux's unshare/nsenter.
    public init() throws {
        guard geteuid() == 0 else { throw Unavailable(reason: "a host sandbox (network and mount namespaces) needs root") }
        for tool in [Self.unshare, Self.nsenter, Self.ip] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Unavailable(reason: "a host sandbox needs \(tool) (util-linux, iproute2)")
        }
        scratch = NSTemporaryDirectory() + "rkt-sandbox-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        holder = Process()
        holder.executableURL = URL(fileURLWithPath: Self.unshare)
        holder.arguments = ["--net", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", Self.holderScript,
                            "rkt-sandbox", scratch, Self.hostAddress]
        keepAlive = Pipe()
        // Only the test holds the write end: no rkt, stage1 or pod started later inherits it and keeps the holder.
        _ = fcntl(keepAlive.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        let ready = Pipe(), errors = Pipe()
        holder.standardInput = keepAlive
        holder.standardOutput = ready
        holder.standardError = errors
        do {
            try holder.run()
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
        holderPID = holder.processIdentifier
        // Without the DispatchIO of FileHandle: one read of the holder's single line, or EOF when it failed.
        let line = String(decoding: ready.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard line == "ready\n" else {
            holder.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            try? FileManager.default.removeItem(atPath: scratch)
            throw Unavailable(reason: "the host sandbox did not start (status \(holder.terminationStatus)): \(message)")
        }
    }

    /// Runs in the holder: private tmpfs for the /var/lib overlay's upper layer, loopback up with the "host"
    /// address; prints `ready`, closes stdout and waits for stdin to end.
    static let holderScript = """
        set -e
        scratch=$1 address=$2
        mount -t tmpfs -o mode=0700 rkt-sandbox "$scratch"
        mkdir "$scratch/upper" "$scratch/work"
        mount -t overlay -o "lowerdir=/var/lib,upperdir=$scratch/upper,workdir=$scratch/work" rkt-sandbox-var-lib /var/lib
        ip link set lo up
        ip addr add "$address/32" dev lo
        echo ready
        exec >/dev/null
        while read -r _; do :; done
        """

    /// An unstarted process running `executable ARGS…` inside the sandbox (nsenter execs it: its PID is the
    /// program's), in `directory` (the caller's working directory when nil), with `environment` added.
    public func process(_ executable: String, _ arguments: [String], directory: String? = nil,
                        environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.nsenter)
        process.arguments = ["--target=\(holderPID)", "--net", "--mount",
                             "--wd=\(directory ?? FileManager.default.currentDirectoryPath)", "--", executable] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        return process
    }

    /// Runs `executable ARGS…` inside to its end: exit status and standard output (standard error discarded).
    public func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = process(executable, arguments)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `path` as processes inside see it (through the holder's root, which crosses into its mount namespace).
    public func insidePath(_ path: String) -> String { "/proc/\(holderPID)/root" + path }

    /// The sandbox's network namespace as `readlink /proc/self/ns/net` names it inside (`net:[INODE]`).
    public var networkNamespace: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(holderPID)/ns/net")) ?? ""
    }

    /// Mount points inside the sandbox that lie below `prefix`.
    public func mountPoints(below prefix: String) -> [String] {
        Self.mountPoints(below: prefix, mountinfo: "/proc/\(holderPID)/mountinfo")
    }

    /// Mount points below `prefix` in a mount table (this process's unless another `mountinfo` is named),
    /// parsed by the pods' own `MountTable`.
    public static func mountPoints(below prefix: String, mountinfo: String = "/proc/self/mountinfo") -> [String] {
        let below = prefix.hasSuffix("/") ? prefix : prefix + "/"
        let text = (try? SmallFile.read(mountinfo, limit: 64 << 20)) ?? nil
        return MountTable.mountPoints(mountinfo: text ?? "").filter { $0.hasPrefix(below) }
    }

    /// Ends the holder and removes its scratch directory (idempotent). Processes still inside keep the
    /// namespaces alive until they end; the leak check at the end of `make test` names any such process.
    public func close() {
        guard !closed else { return }
        closed = true
        try? keepAlive.fileHandleForWriting.close()
        holder.waitUntilExit()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    deinit { close() }
}
