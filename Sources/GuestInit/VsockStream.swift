import CKvmPod
import Glibc
import GuestProtocol
import LinuxSupport

/// A virtio-vsock stream socket of the guest: the control channel and app output to the host, and the
/// listening socket the host's `stop`/`enter`/`wait` requests arrive on.
struct VsockStream {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    static func connect(toHostPort port: UInt32) throws -> VsockStream {
        let stream = try VsockStream(descriptor: socketDescriptor())
        var address = Self.address(cid: UInt32(VMADDR_CID_HOST), port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(stream.descriptor, $0, socklen_t(MemoryLayout<sockaddr_vm>.size))
            }
        }
        guard result == 0 else {
            let error = SystemError.current("vsock connect to host port \(port)")
            stream.close()
            throw error
        }
        return stream
    }

    static func listen(onPort port: UInt32) throws -> VsockStream {
        let stream = try VsockStream(descriptor: socketDescriptor())
        var address = Self.address(cid: UInt32(VMADDR_CID_ANY), port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(stream.descriptor, $0, socklen_t(MemoryLayout<sockaddr_vm>.size))
            }
        }
        guard bound == 0, Glibc.listen(stream.descriptor, 16) == 0 else {
            let error = SystemError.current("vsock listen on port \(port)")
            stream.close()
            throw error
        }
        return stream
    }

    func accept() throws -> VsockStream {
        let fd = try retryingOnInterrupt("vsock accept") { Glibc.accept(descriptor, nil, nil) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // PID 1 is single-threaded: no fork can come in between
        return VsockStream(descriptor: fd)
    }

    func send(_ message: GuestMessage) throws {
        try GuestFiles.writeAll(Array(message.line.utf8), to: descriptor, what: "vsock")
    }

    /// Reads one line byte by byte, so nothing after it (an entered command's stdin) is consumed.
    func readLine() throws -> [UInt8]? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = try retryingOnInterrupt("vsock read") { Glibc.read(descriptor, &byte, 1) }
            if count == 0 { return line.isEmpty ? nil : line }
            if byte == 0x0A { return line }
            guard line.count < GuestRecordLine.maximumLength else {
                throw SystemError(errno: EMSGSIZE, operation: "vsock read (request line too long)")
            }
            line.append(byte)
        }
    }

    func close() { _ = Glibc.close(descriptor) }

    private static func socketDescriptor() throws -> Int32 {
        let fd = socket(AF_VSOCK, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current("vsock socket") }
        return fd
    }

    private static func address(cid: UInt32, port: UInt32) -> sockaddr_vm {
        var address = sockaddr_vm()
        address.svm_family = sa_family_t(AF_VSOCK)
        address.svm_cid = cid
        address.svm_port = port
        return address
    }
}
