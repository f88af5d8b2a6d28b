import Foundation
@testable import Stage1Kvm
import XCTest

/// How stage1-kvm reports the end of its VMM, on real child processes started the way the VMM is.
final class VMMTerminationTests: XCTestCase {
    /// Starts `script` under /bin/sh with VMMProcess (posix_spawn + pidfd) and reaps it once its pidfd is readable.
    /// `ulimit -c 0`: a child killed by SIGSYS or SIGSEGV leaves no core file behind.
    private func termination(of script: String) throws -> VMMTermination {
        let process = try VMMProcess.spawn(program: "/bin/sh", arguments: ["-c", "ulimit -c 0; " + script])
        var descriptor = pollfd(fd: process.exitDescriptor, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, -1) < 0 && errno == EINTR {}
        return process.wait()
    }

    func testChildKilledBySIGSYSIsReportedAsASeccompKill() throws {
        let ended = try termination(of: "kill -SYS $$")
        XCTAssertEqual(ended, .killed(signal: SIGSYS))
        XCTAssertTrue(ended.isSeccompViolation)
        XCTAssertEqual(ended.status, 128 + SIGSYS)
        XCTAssertTrue(ended.description.hasPrefix("rkt-vmm was killed by its seccomp filter (SIGSYS)"), ended.description)
    }

    func testOtherSignalsAreNamedAndExitStatusesPassed() throws {
        let segv = try termination(of: "kill -SEGV $$")
        XCTAssertEqual(segv, .killed(signal: SIGSEGV))
        XCTAssertFalse(segv.isSeccompViolation)
        XCTAssertEqual(segv.description, "rkt-vmm was killed by signal SIGSEGV (11)")
        XCTAssertEqual(try termination(of: "kill -KILL $$").description, "rkt-vmm was killed by signal SIGKILL (9)")
        let exited = try termination(of: "exit 3")
        XCTAssertEqual(exited, .exited(3))
        XCTAssertEqual(exited.status, 3)
        XCTAssertEqual(exited.description, "rkt-vmm exited with status 3")
        XCTAssertEqual(VMMTermination.name(of: 40), "40")
    }

    /// The pod fails (status 254 through KvmError) when the VMM dies of its filter, even after every app
    /// reported; other ends keep the app's status, and missing apps name how the VMM ended.
    func testPodStatusFailsOnASeccompKill() throws {
        var outcome = GuestSession.Outcome(vmm: .killed(signal: SIGSYS), appStatuses: ["web": 0], guestErrors: [], sawReady: true)
        XCTAssertThrowsError(try KvmRun.status(of: outcome, apps: ["web"], console: "/nonexistent")) { error in
            XCTAssertTrue("\(error)".contains("killed by its seccomp filter (SIGSYS)"), "\(error)")
            XCTAssertTrue("\(error)".contains("web: 0"), "\(error)")
        }
        outcome.appStatuses = [:]
        XCTAssertThrowsError(try KvmRun.status(of: outcome, apps: ["web"], console: "/nonexistent")) { error in
            XCTAssertTrue("\(error)".contains("the pod VM ended (rkt-vmm was killed by its seccomp filter (SIGSYS)"), "\(error)")
        }
        outcome.vmm = .killed(signal: SIGSEGV)
        XCTAssertThrowsError(try KvmRun.status(of: outcome, apps: ["web"], console: "/nonexistent")) { error in
            XCTAssertTrue("\(error)".contains("(rkt-vmm was killed by signal SIGSEGV (11)) before app(s) web"), "\(error)")
        }
        outcome.vmm = .exited(0)
        outcome.appStatuses = ["web": 7]
        XCTAssertEqual(try KvmRun.status(of: outcome, apps: ["web"], console: "/nonexistent"), 7)
    }

    /// What stage1 asks of the VMM: the jail, no capabilities and the killing filter.
    func testVMMIsStartedJailedWithoutCapabilitiesUnderAKillingFilter() throws {
        XCTAssertEqual(KvmRun.vmmJailArguments, ["--jail", "--drop-capabilities", "--seccomp", "kill"])
    }
}
