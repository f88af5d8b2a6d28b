import Glibc
import LinuxSupport
import Pods

/// The apps' standard output and error. A single-app (or interactive) pod passes stage1's own stdio through.
/// In a multi-app pod each app writes into two pipes that this (host-side) process reads until every writer
/// is gone: every byte goes to the app's log file `logs/APP` in the pod directory (read by `rkt logs`), and
/// each line goes to stage1's stdout or stderr prefixed with `APP: `. Apps read /dev/null.
final class LogRelay {
    private struct Stream {
        let app: String
        let fd: Int32
        let output: Int32
        let log: Int32
        var pending: [UInt8] = []
        var open = true
    }

    /// Per app: the descriptors to make its stdin, stdout and stderr.
    let appStdio: [[Int32]]
    private var streams: [Stream] = []
    private var writeEnds: [Int32] = []

    init(pod: PodDefinition, apps: [String], separate: Bool) throws {
        guard separate else {
            appStdio = apps.map { _ in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] }
            return
        }
        let null = try retryingOnInterrupt("open", path: "/dev/null") { open("/dev/null", O_RDONLY | O_CLOEXEC) }
        try FileSystem.makeDirectories(pod.files.logs, mode: 0o755)
        var stdio: [[Int32]] = []
        for app in apps {
            let path = pod.files.appLog(app)
            let log = try retryingOnInterrupt("open", path: path) {
                open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o640)
            }
            let out = try PipeEnds.make(), err = try PipeEnds.make()
            streams.append(Stream(app: app, fd: out.read, output: STDOUT_FILENO, log: log))
            streams.append(Stream(app: app, fd: err.read, output: STDERR_FILENO, log: log))
            writeEnds += [out.write, err.write]
            stdio.append([null, out.write, err.write])
        }
        appStdio = stdio
    }

    /// In the pod init: it keeps only the write ends.
    func closeReadEnds() {
        for stream in streams { close(stream.fd); close(stream.log) }
    }

    /// In stage1: it keeps only the read ends.
    func closeWriteEnds() {
        for fd in writeEnds { close(fd) }
    }

    /// Copies until every app's streams are closed (at the latest when the pod's last process is gone).
    func run() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while streams.contains(where: \.open) {
            var polled = streams.filter(\.open).map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&polled, nfds_t(polled.count), -1)
            if ready < 0 { if errno == EINTR { continue } else { return } }
            for entry in polled where entry.revents != 0 {
                guard let index = streams.firstIndex(where: { $0.fd == entry.fd }) else { continue }
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    finish(index)
                } else {
                    forward(Array(buffer[0..<count]), stream: index)
                }
            }
        }
    }

    private func forward(_ bytes: [UInt8], stream index: Int) {
        writeAll(streams[index].log, bytes)
        streams[index].pending += bytes
        while let newline = streams[index].pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(streams[index].pending[...newline])
            streams[index].pending.removeSubrange(...newline)
            writeAll(streams[index].output, Array("\(streams[index].app): ".utf8) + line)
        }
    }

    private func finish(_ index: Int) {
        if !streams[index].pending.isEmpty {
            writeAll(streams[index].output, Array("\(streams[index].app): ".utf8) + streams[index].pending + [UInt8(ascii: "\n")])
            streams[index].pending = []
        }
        close(streams[index].fd)
        streams[index].open = false
        if !streams.contains(where: { $0.log == streams[index].log && $0.open }) { close(streams[index].log) }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}
