import AppC
import Foundation
import GuestProtocol
import LinuxSupport
import Pods

/// The `enter` entrypoint: `enter --pid=PID --appname=APP -- COMMAND ARGS…`. Runs the command in the app's
/// root inside the VM through GuestInit (vsock, no SSH): one connection carries the command's
/// stdin/stdout/stderr, a second one (`wait TOKEN`) its exit status, which becomes ours.
struct KvmEnter {
    let arguments: Stage1EnterArguments

    init(arguments: [String]) throws {
        self.arguments = try Stage1EnterArguments(parsing: arguments)
    }

    func run() throws -> Int32 {
        let pod = PodFiles(directory: FileManager.default.currentDirectoryPath)
        let files = KvmPodFiles(pod: pod)
        let manifest = try PodManifest(jsonData: try Data(contentsOf: URL(fileURLWithPath: pod.manifest)))
        let app: String
        if let name = arguments.appName {
            guard manifest.apps.contains(where: { $0.name.value == name }) else { throw KvmError("enter: the pod has no app named \(name)") }
            app = name
        } else {
            guard manifest.apps.count == 1 else {
                throw KvmError("enter: the pod has \(manifest.apps.count) apps; choose one with --app")
            }
            app = manifest.apps[0].name.value
        }
        var command = arguments.command
        command[0] = try Self.resolve(command[0], rootfs: pod.appRootfs(app))
        let token = "enter-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        let stdio = try UnixSocket.connectToGuest(vsock: files.vsock, port: GuestPorts.guest)
        defer { close(stdio) }
        try AtomicFile.writeAll(stdio, Array(GuestMessage.enter(token: token, app: app, command: command).line.utf8), path: files.vsock)
        let waiter = try UnixSocket.connectToGuest(vsock: files.vsock, port: GuestPorts.guest)
        defer { close(waiter) }
        try AtomicFile.writeAll(waiter, Array(GuestMessage.wait(token: token).line.utf8), path: files.vsock)

        try StreamRelay(socket: stdio).run()
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while reply.count < 4096 {
            let count = buffer.withUnsafeMutableBytes { read(waiter, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            reply += buffer[0..<count]
        }
        let line = reply.split(separator: 0x0A).first.map(Array.init) ?? []
        switch try? GuestMessage(line: line) {
        case .exit(let status)?: return status
        case .error(let text)?: throw KvmError("enter: guest: \(text)")
        default: throw KvmError("enter: the guest did not report the command's exit status")
        }
    }

    /// A bare program name is looked up in the app's PATH directories inside its image's root (as seen on
    /// the host); a path is used as given.
    static func resolve(_ program: String, rootfs: String) throws -> String {
        if program.hasPrefix("/") { return program }
        guard !program.contains("/") else { throw KvmError("enter: \(program): give an absolute path or a bare name") }
        for directory in AppExecPlan.defaultPath.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: rootfs + candidate) { return candidate }
        }
        throw KvmError("enter: \(program) not found in the app's PATH (\(AppExecPlan.defaultPath))")
    }
}
