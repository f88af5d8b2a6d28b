import AppC
import Foundation
import GuestProtocol
import Pods
@testable import Stage1Kvm
import XCTest

/// The host-side plan of a kvm pod: disks in guest order, the guest config resolved against each app's
/// rootfs, the VM's size. No KVM, no root: the app roots are plain directories.
final class KvmPodPlanTests: XCTestCase {
    private var directory = ""
    private let imageID = "sha512-" + String(repeating: "ab", count: 64)

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "kvm-plan-" + UUID().uuidString
        for app in ["web", "side"] {
            let bin = directory + "/" + app + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: bin + "/sh", contents: Data(), attributes: [.posixPermissions: 0o755])
            try FileManager.default.createDirectory(atPath: directory + "/" + app + "/etc", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory + "/" + app + "/srv", withIntermediateDirectories: true)
            try "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/var/www:/bin/sh\n"
                .write(toFile: directory + "/" + app + "/etc/passwd", atomically: true, encoding: .utf8)
            try "root:x:0:\nwww:x:33:\n".write(toFile: directory + "/" + app + "/etc/group", atomically: true, encoding: .utf8)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func manifest(_ apps: String, volumes: String = "[]") throws -> PodManifest {
        try PodManifest(jsonData: Data("""
        {"acKind":"PodManifest","acVersion":"0.8.11","apps":[\(apps)],"volumes":\(volumes)}
        """.utf8))
    }

    private func app(_ name: String, exec: String = #"["sh","-c","echo hi"]"#, extra: String = "", isolators: String = "[]",
                     mounts: String = "[]") -> String {
        """
        {"name":"\(name)","image":{"id":"\(imageID)"},"mounts":\(mounts),
         "app":{"exec":\(exec),"user":"www","group":"www","isolators":\(isolators)\(extra)}}
        """
    }

    private func plan(_ manifest: PodManifest, disks: [String: String] = ["web": "/store/a.erofs", "side": "/store/b.erofs"],
                      hostname: String? = nil) throws -> KvmPodPlan {
        var options = Stage1Arguments(uuid: "4f0c2e8a-0000-4000-8000-000000000001")
        options.hostname = hostname
        return try KvmPodPlan(manifest: manifest, options: options, sources: .init(
            stage1Root: "/s1/guest.img", configDisk: "kvm/config.img", scratchDisk: "kvm/scratch.img",
            appRootDisk: { app in
                guard let disk = disks[app] else { throw KvmError("no disk for \(app)") }
                return disk
            },
            appRootfs: { self.directory + "/" + $0 }, volumeDisk: { "kvm/volume-\($0).img" }), hostCPUs: 2)
    }

    func testSingleAppResolvedAgainstItsImage() throws {
        let result = try plan(try manifest(app("web", extra: #","workingDirectory":"/srv","environment":[{"name":"A","value":"b c"}]"#)))
        XCTAssertEqual(result.disks, [VMDisk(path: "/s1/guest.img", readOnly: true), VMDisk(path: "kvm/config.img", readOnly: true),
                                      VMDisk(path: "kvm/scratch.img", readOnly: false), VMDisk(path: "/store/a.erofs", readOnly: true)])
        XCTAssertEqual(result.config.diskCount, 4)
        XCTAssertEqual(result.config.hostname, "rkt-4f0c2e8a-0000-4000-8000-000000000001")
        let web = try XCTUnwrap(result.config.apps.first)
        XCTAssertEqual(web.program, "/bin/sh", "a bare exec name is found through PATH inside the image")
        XCTAssertEqual(web.arguments, ["sh", "-c", "echo hi"], "argv stays as the image wrote it")
        XCTAssertEqual(web.imageDisk, GuestDisks.firstImage)
        XCTAssertEqual([web.uid, web.gid], [33, 33], "user and group names come from the image's passwd/group")
        XCTAssertEqual(web.workingDirectory, "/srv")
        XCTAssertTrue(web.environment.contains("A=b c"))
        XCTAssertTrue(web.environment.contains("AC_APP_NAME=web"))
        XCTAssertEqual(result.size, VMSize(memoryMiB: VMSize.defaultMemoryMiB, cpus: 1))
        XCTAssertEqual(web.retainedCapabilities, [0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31], "rkt's default set")
        let filter = try XCTUnwrap(web.seccompFilter, "rkt's default seccomp whitelist")
        XCTAssertEqual(filter.count % 8, 0)
        XCTAssertGreaterThan(filter.count / 8, 50)
        // What the guest will read back.
        XCTAssertEqual(try GuestPodConfig(text: Array(result.config.encoded().utf8)), result.config)
    }

    func testInsecureOptionsSwitchCapabilitiesAndSeccompOff() throws {
        var options = Stage1Arguments(uuid: "4f0c2e8a-0000-4000-8000-000000000001")
        options.disableCapabilities = true
        options.disableSeccomp = true
        let result = try KvmPodPlan(manifest: try manifest(app("web")), options: options, sources: .init(
            stage1Root: "/s1/guest.img", configDisk: "c", scratchDisk: "s", appRootDisk: { _ in "/store/a.erofs" },
            appRootfs: { self.directory + "/" + $0 }, volumeDisk: { $0 }), hostCPUs: 1)
        XCTAssertNil(result.config.apps[0].retainedCapabilities)
        XCTAssertNil(result.config.apps[0].seccompFilter)
    }

    func testAppsSharingAnImageDiskShareOneGuestDisk() throws {
        let result = try plan(try manifest(app("web") + "," + app("side")), disks: ["web": "/store/a.erofs", "side": "/store/a.erofs"],
                              hostname: "custom")
        XCTAssertEqual(result.disks.count, 4)
        XCTAssertEqual(result.config.apps.map(\.imageDisk), [3, 3])
        XCTAssertEqual(result.config.hostname, "custom")
    }

    func testVolumesBecomeScratchDirectoriesOrDisks() throws {
        let mounts = #"[{"volume":"data","path":"/data"},{"volume":"src","path":"/src"}]"#
        let volumes = #"[{"name":"data","kind":"empty"},{"name":"src","kind":"host","source":"/tmp","readOnly":true},{"name":"unused","kind":"empty"}]"#
        let result = try plan(try manifest(app("web", mounts: mounts), volumes: volumes))
        XCTAssertEqual(result.config.volumes, [GuestVolume(name: "data", source: .empty), GuestVolume(name: "src", source: .disk(4), readOnly: true)],
                       "the guest mounts a read-only volume's disk read-only")
        XCTAssertEqual(result.disks.last, VMDisk(path: "kvm/volume-src.img", readOnly: true))
        XCTAssertEqual(result.hostVolumes.map(\.index), [4])
        XCTAssertEqual(result.config.apps[0].mounts, [GuestAppMount(volume: "data", target: "/data", readOnly: false),
                                                      GuestAppMount(volume: "src", target: "/src", readOnly: true)])
    }

    func testUndefinedVolumeAndMissingProgramAreRefused() throws {
        let mounts = #"[{"volume":"nope","path":"/data"}]"#
        XCTAssertThrowsError(try plan(try manifest(app("web", mounts: mounts)))) { error in
            XCTAssertTrue("\(error)".contains("nope"), "\(error)")
        }
        XCTAssertThrowsError(try plan(try manifest(app("web", exec: #"["httpd"]"#)))) { error in
            XCTAssertTrue("\(error)".contains("httpd"), "\(error)")
        }
    }

    func testMemoryAndCPULimitsSizeTheVM() throws {
        let memory = #"[{"name":"resource/memory","value":{"limit":"256Mi"}},{"name":"resource/cpu","value":{"limit":"1500m"}}]"#
        let result = try plan(try manifest(app("web", isolators: memory) + "," + app("side", isolators:
            #"[{"name":"resource/memory","value":{"limit":"96Mi"}}]"#)))
        XCTAssertEqual(result.size.memoryMiB, 256 + 96 + VMSize.overheadMiB, "the apps' limits plus the fixed overhead")
        XCTAssertEqual(result.size.cpus, 2, "1.5 CPUs round up")
        XCTAssertEqual(VMSize(apps: [], hostCPUs: 8), VMSize(memoryMiB: VMSize.defaultMemoryMiB, cpus: 1))
    }
}
