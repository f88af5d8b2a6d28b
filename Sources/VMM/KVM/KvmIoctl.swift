import CLinux
import LinuxSupport
#if canImport(Glibc)
import Glibc
#endif

/// The ioctl calls of the KVM layer, each retried on EINTR and failing with a `SystemError` that names the
/// request and the file it was made on (`KVM_CREATE_VM /dev/kvm: Cannot allocate memory`).
enum KvmIoctl {
    @discardableResult
    static func call(_ fd: Int32, _ request: UInt, _ name: String, on path: String, value: UInt = 0) throws -> Int32 {
        try retryingOnInterrupt(name, path: path) { clinux_ioctl_val(fd, request, value) }
    }

    @discardableResult
    static func call<T>(_ fd: Int32, _ request: UInt, _ name: String, on path: String, pointer: inout T) throws -> Int32 {
        try withUnsafeMutablePointer(to: &pointer) { p in
            try retryingOnInterrupt(name, path: path) { clinux_ioctl_ptr(fd, request, p) }
        }
    }

    @discardableResult
    static func call(_ fd: Int32, _ request: UInt, _ name: String, on path: String, buffer: UnsafeMutableRawPointer) throws -> Int32 {
        try retryingOnInterrupt(name, path: path) { clinux_ioctl_ptr(fd, request, buffer) }
    }
}
