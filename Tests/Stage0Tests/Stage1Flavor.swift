import Foundation
import XCTest

/// The stage1 flavors the end-to-end tests run pods with, and how each one's test image is packed from the
/// binaries `swift build --build-tests` leaves next to `rkt`.
enum Stage1Flavor: String, CaseIterable {
    case fly
    /// The namespace flavor (coreos.com/rkt/stage1-coreos).
    case coreos
    case kvm

    struct Packing {
        let script: String
        let inputs: [String]
        func arguments(_ output: String) -> [String] { inputs + [output, "0.0.0-test"] }
    }

    /// The packing script and its inputs; skips the test (XCTSkip with the reason) when something is missing.
    func packing() throws -> Packing {
        let binaries = URL(fileURLWithPath: RktProcess.binary).deletingLastPathComponent().path
        func built(_ name: String) throws -> String {
            let path = binaries + "/" + name
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw XCTSkip("\(name) is not built next to rkt (\(path)); swift build --build-tests builds it")
            }
            return path
        }
        switch self {
        case .fly:
            return Packing(script: "make-stage1-fly-aci.sh", inputs: [try built("stage1-fly")])
        case .coreos:
            return Packing(script: "make-stage1-coreos-aci.sh", inputs: [try built("stage1-coreos")])
        case .kvm:
            guard access("/dev/kvm", R_OK | W_OK) == 0 else { throw XCTSkip("the kvm flavor needs a usable /dev/kvm") }
            let kernel = ProcessInfo.processInfo.environment["RKT_VMM_TEST_KERNEL"] ?? PodHarness.repositoryRoot + "/build/vmlinux"
            guard FileManager.default.fileExists(atPath: kernel) else {
                throw XCTSkip("the kvm flavor needs a guest kernel: \(kernel) is missing (make kernel, or set RKT_VMM_TEST_KERNEL)")
            }
            guard ["/usr/bin/mkfs.erofs", "/usr/sbin/mkfs.erofs"].contains(where: FileManager.default.isExecutableFile) else {
                throw XCTSkip("the kvm flavor needs mkfs.erofs (Debian package erofs-utils; make deps installs it)")
            }
            return Packing(script: "make-stage1-kvm-aci.sh",
                           inputs: [try built("stage1-kvm"), try built("rkt-vmm"), try built("rkt-guest-init"), kernel])
        }
    }
}
