import AppC
import Foundation
import GuestProtocol
@testable import Stage1Kvm
import XCTest

final class PodDisksTests: XCTestCase {
    func testConfigDiskIsTheConfigTextZeroPaddedToWholeBlocks() throws {
        let path = NSTemporaryDirectory() + "config-\(UUID().uuidString).img"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = GuestPodConfig(diskCount: 4, hostname: "h")
        config.apps = [GuestApp(name: "a", imageDisk: 3, program: "/bin/true", arguments: ["true"])]
        try PodDisks.writeConfig(config, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(bytes.count % 4096, 0)
        let text = bytes.prefix { $0 != 0 }
        XCTAssertEqual(try GuestPodConfig(text: Array(text)), config)
        XCTAssertTrue(bytes.dropFirst(text.count).allSatisfy { $0 == 0 })
    }

    func testScratchDiskIsASparseExt4File() throws {
        let path = NSTemporaryDirectory() + "scratch-\(UUID().uuidString).img"
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try PodDisks.makeScratch(at: path)
        } catch let error where "\(error)".contains("not found") {
            throw XCTSkip("\(error)")
        }
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(Int64(info.st_size), PodDisks.scratchBytes)
        XCTAssertLessThan(Int64(info.st_blocks) * 512, 64 << 20, "formatting writes little: the file stays sparse")
        let magic = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        try magic.seek(toOffset: 1024 + 0x38)
        XCTAssertEqual(Array(try magic.read(upToCount: 2) ?? Data()), [0x53, 0xEF], "ext4 superblock magic")
        // s_feature_compat, s_feature_incompat, s_feature_ro_compat (little-endian words at 0x5C, 0x60, 0x64).
        try magic.seek(toOffset: 1024 + 0x5C)
        let words = Array(try magic.read(upToCount: 12) ?? Data())
        func word(_ index: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(words[index * 4 + $1]) << (8 * $1) } }
        XCTAssertEqual(words.count, 12)
        XCTAssertEqual(word(0) & 0x4, 0, "no journal")
        XCTAssertEqual(word(2) & 0x400, 0, "no metadata_csum: the guest kernel would compute crc32c in software")
        XCTAssertNotEqual(word(2) & 0x10, 0, "uninit_bg: group descriptors keep their crc16")
    }

    /// mkfs.ext4 creates lost+found; a volume must show exactly its source's entries (issue 21: nginx read it
    /// as a site in sites-enabled). A source with a lost+found of its own keeps it.
    func testVolumeDiskHoldsExactlyTheSourceDirectorysEntries() throws {
        let directory = NSTemporaryDirectory() + "volume-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/src/sites-enabled", withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: directory + "/src/default"))
        do {
            try PodDisks.makeVolume(at: directory + "/plain.img", from: Volume(name: try ACName("conf"), kind: .host, source: directory + "/src"))
        } catch let error where "\(error)".contains("not found") {
            throw XCTSkip("\(error)")
        }
        XCTAssertEqual(try rootEntries(directory + "/plain.img"), ["default", "sites-enabled"])

        try FileManager.default.createDirectory(atPath: directory + "/src/lost+found", withIntermediateDirectories: true)
        try Data("kept\n".utf8).write(to: URL(fileURLWithPath: directory + "/src/lost+found/file"))
        try PodDisks.makeVolume(at: directory + "/own.img", from: Volume(name: try ACName("conf"), kind: .host, source: directory + "/src"))
        XCTAssertEqual(try rootEntries(directory + "/own.img"), ["default", "lost+found", "sites-enabled"])
    }

    /// The root directory's entries of an ext4 image, as debugfs lists them (without . and ..).
    private func rootEntries(_ image: String) throws -> [String] {
        let process = Process()
        let debugfs = ["/usr/sbin/debugfs", "/sbin/debugfs"].first { FileManager.default.isExecutableFile(atPath: $0) }
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(debugfs, "debugfs (e2fsprogs)"))
        process.arguments = ["-R", "ls -p /", image]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // Lines: /INODE/MODE/UID/GID/NAME/SIZE/
        let names = text.split(separator: "\n").compactMap { line in line.split(separator: "/", omittingEmptySubsequences: false).dropFirst(5).first.map(String.init) }
        return names.filter { $0 != "." && $0 != ".." }.sorted()
    }
}

final class KvmHostTests: XCTestCase {
    func testAHostWithoutKVMIsToldWhichFlavorsToUseInstead() {
        XCTAssertThrowsError(try KvmHost.checkUsable(device: "/nonexistent/kvm")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("/nonexistent/kvm: No such file or directory"), text)
            XCTAssertTrue(text.contains("--stage1-name=coreos.com/rkt/stage1-coreos"), text)
            XCTAssertTrue(text.contains("--stage1-name=coreos.com/rkt/stage1-fly"), text)
        }
    }
}

final class KvmNetworkChoiceTests: XCTestCase {
    func testHostNetworkIsRefusedWithTheWayOut() {
        XCTAssertThrowsError(try KvmRun.checkNetworkChoice("host")) { error in
            XCTAssertTrue("\(error)".contains("--net=host is not available in the kvm flavor"), "\(error)")
            XCTAssertTrue("\(error)".contains("stage1-coreos"), "\(error)")
        }
        XCTAssertThrowsError(try KvmRun.checkNetworkChoice("default,host"))
        XCTAssertNoThrow(try KvmRun.checkNetworkChoice("none"))
    }
}
