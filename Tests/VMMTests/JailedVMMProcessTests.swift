import Foundation
import LinuxSupport
import XCTest
@testable import VMM

/// The built `rkt-vmm` with `--jail --drop-capabilities --seccomp kill`, running a hand-assembled guest that
/// prints one byte and then halts with interrupts enabled (it sleeps in KVM until stopped): the running VMM
/// is inspected from outside through /proc. Needs root, /dev/kvm and `swift build --build-tests` (which
/// builds rkt-vmm next to the test bundle).
final class JailedVMMProcessTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("the jail needs root (CAP_SYS_ADMIN for namespaces and pivot_root)") }
        _ = try openKvmOrSkip()
        var template = Array("/tmp/vmm-jail-test-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw SystemError.current("mkdtemp") }
        directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    override func tearDown() {
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    private var vmmBinary: String {
        get throws {
            let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            let candidates = [bundle.appendingPathComponent("rkt-vmm").path,
                              bundle.deletingLastPathComponent().appendingPathComponent("rkt-vmm").path]
            guard let found = candidates.first(where: FileManager.default.isExecutableFile) else {
                throw XCTSkip("rkt-vmm is not built next to the tests (\(candidates[0])); swift build --build-tests builds it")
            }
            return found
        }
    }

    func testJailedVMMHasNoCapabilitiesASeccompFilterAndOnlyItsSocketDirectory() throws {
        // out 0x3f8, 'x'; then sti; hlt; jmp back to the hlt: no interrupt source is programmed, so the vCPU
        // sleeps in KVM until the VMM is stopped.
        let code: [UInt8] = [0x66, 0xBA, 0xF8, 0x03, 0xB0, 0x78, 0xEE, 0xFB, 0xF4, 0xEB, 0xFD]
        let image = SyntheticKernelImages.elf(entry: 0x1000000, segments: [.init(physicalAddress: 0x1000000, data: code, memorySize: 0x1000)])
        try AtomicFile.write(image, to: directory + "/vmlinux")
        try FileManager.default.createDirectory(atPath: directory + "/sock", withIntermediateDirectories: false)
        try Data("host secret\n".utf8).write(to: URL(fileURLWithPath: directory + "/outside"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try vmmBinary)
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.arguments = ["--kernel", "vmlinux", "--memory", "32M", "--vsock", "3,sock/vsock", "--console", "stdio",
                             "--jail", "--drop-capabilities", "--seccomp", "kill"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var stopped = false
        defer { if !stopped { process.terminate(); process.waitUntilExit() } }
        // The guest's byte arrives once the vCPU runs, which is after the jail, the capability drop and the filter.
        let first = output.fileHandleForReading.readData(ofLength: 1)
        let pid = process.processIdentifier
        XCTAssertEqual(first, Data("x".utf8), "the guest ran; rkt-vmm stderr: " +
                       String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))

        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let fields = Dictionary(status.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)) : nil
        }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(fields["Seccomp"], "2", "filter mode")
        XCTAssertEqual(fields["NoNewPrivs"], "1")
        for set in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
            XCTAssertEqual(fields[set], "0000000000000000", set)
        }
        XCTAssertGreaterThan(Int(fields["Threads"] ?? "") ?? 0, 1, "the vCPU thread runs (and inherited all of this)")
        for thread in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            let threadStatus = try String(contentsOfFile: "/proc/\(pid)/task/\(thread)/status", encoding: .utf8)
            XCTAssertTrue(threadStatus.contains("Seccomp:\t2\n") && threadStatus.contains("CapEff:\t0000000000000000\n"),
                          "thread \(thread)")
            for namespace in ["mnt", "ipc", "uts", "net"] {
                XCTAssertEqual(try link("/proc/\(pid)/task/\(thread)/ns/\(namespace)"), try link("/proc/\(pid)/ns/\(namespace)"))
            }
        }
        for namespace in ["mnt", "ipc", "uts", "net"] {
            XCTAssertNotEqual(try link("/proc/\(pid)/ns/\(namespace)"), try link("/proc/self/ns/\(namespace)"), namespace)
        }

        // Its root: the path down to its socket directory and nothing else; the directory is the host's.
        let root = "/proc/\(pid)/root"
        let components = directory.split(separator: "/").map(String.init)
        var path = root
        for component in components {
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path), [component], path)
            path += "/" + component
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path), ["sock"], "no vmlinux, no outside file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path + "/sock"), ["vsock"])
        XCTAssertEqual(try link("/proc/\(pid)/cwd"), directory, "relative socket paths mean the same inside")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/etc/passwd"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/dev/kvm"))
        XCTAssertEqual(creat(root + "/new", 0o644), -1)
        XCTAssertEqual(errno, EROFS, "the jail's root is read-only")
        // The listener is the host's socket file, reachable through the bind mount: a host client is accepted.
        let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let socketPath = Array((directory + "/sock/vsock").utf8CString)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: socketPath.map { UInt8(bitPattern: $0) }) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(connected, 0, "connect \(directory)/sock/vsock: errno \(errno)")
        let mounts = try String(contentsOfFile: "/proc/\(pid)/mounts", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(mounts.count, 2, "the tmpfs root and the socket directory: \(mounts)")

        process.terminate()
        process.waitUntilExit()
        stopped = true
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 128 + SIGTERM, "stopped by SIGTERM, not killed by its filter")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/outside"))
    }

    private func link(_ path: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: path)
    }
}
