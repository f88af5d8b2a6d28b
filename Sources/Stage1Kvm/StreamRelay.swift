import Foundation
import LinuxSupport

/// Copies our stdin to a socket and the socket to our stdout until the socket ends (the entered command
/// exited); our end of file becomes a half-close, so the command sees its stdin end.
struct StreamRelay {
    let socket: Int32

    func run() throws {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var inputOpen = true
        while true {
            var descriptors = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: inputOpen ? 0 : -1, events: Int16(POLLIN), revents: 0)]
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("poll")
            }
            if descriptors[0].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
                if count <= 0 { return }
                try AtomicFile.writeAll(1, Array(buffer[0..<count]), path: "stdout")
            }
            if descriptors[1].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count <= 0 {
                    inputOpen = false
                    _ = shutdown(socket, Int32(SHUT_WR))
                } else {
                    try AtomicFile.writeAll(socket, Array(buffer[0..<count]), path: "vsock")
                }
            }
        }
    }
}
