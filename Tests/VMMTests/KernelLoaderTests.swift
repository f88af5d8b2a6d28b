import Virtio
import XCTest
@testable import VMM

final class KernelLoaderTests: XCTestCase {
    typealias Images = SyntheticKernelImages

    func testElfSegmentsAreCopiedToTheirPhysicalAddressesAndBssIsZeroed() throws {
        let memory = try GuestMemory(size: 4 << 20)
        try memory.write(bytes: [UInt8](repeating: 0xee, count: 64), at: 0x200000)
        let image = Images.elf(entry: 0x100000, segments: [
            .init(physicalAddress: 0x100000, data: [1, 2, 3, 4], memorySize: 4),
            .init(physicalAddress: 0x200000, data: [9], memorySize: 64),
        ])
        let loaded = try ElfKernelLoader.load(image, path: "vmlinux", into: memory)
        XCTAssertEqual(loaded, LoadedKernel(format: .elf, entryAddress: 0x100000, endAddress: 0x200040))
        XCTAssertEqual(try memory.readBytes(at: 0x100000, count: 4), [1, 2, 3, 4])
        XCTAssertEqual(try memory.readBytes(at: 0x200000, count: 3), [9, 0, 0])
        XCTAssertEqual(try memory.read(UInt8.self, at: 0x20003f), 0)
    }

    func testHostileElfImagesAreRejectedWithAReason() throws {
        let memory = try GuestMemory(size: 4 << 20)
        let good = Images.elf(entry: 0x100000, segments: [.init(physicalAddress: 0x100000, data: [1], memorySize: 1)])
        func rejects(_ image: [UInt8], _ expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try ElfKernelLoader.load(image, path: "k", into: memory), line: line) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)", line: line)
            }
        }
        rejects(Array(good.prefix(20)), "file ends before")
        rejects(Images.elf(entry: 0x100000, segments: [.init(physicalAddress: 0x100000, data: [1], memorySize: 1)], machine: 3),
                "not an x86_64")
        rejects(Images.elf(entry: 0x1000, segments: [.init(physicalAddress: 0x1000, data: [1], memorySize: 1)]), "below 1 MiB")
        rejects(Images.elf(entry: 0x100000, segments: [.init(physicalAddress: 0x100000, data: [1], memorySize: 64 << 20)]),
                "does not fit in guest RAM")
        rejects(Images.elf(entry: 0x100000, segments: [.init(physicalAddress: 0x100000, data: [1, 2], memorySize: 1)]),
                "p_filesz exceeds p_memsz")
        rejects(Images.elf(entry: 0x300000, segments: [.init(physicalAddress: 0x100000, data: [1], memorySize: 1)]),
                "e_entry")
        rejects(Images.elf(entry: 0x100000, segments: [.init(physicalAddress: UInt64.max - 10, data: [1], memorySize: 100)]),
                "does not fit")
        var pastEnd = good
        pastEnd.storeLE(UInt64(1 << 40), at: 64 + 8)  // p_offset far past the file
        rejects(pastEnd, "past the end of the file")
        var manyHeaders = good
        manyHeaders.storeLE(UInt16(65000), at: 56)
        rejects(manyHeaders, "e_phnum")
        var truncatedHeaders = good
        truncatedHeaders.storeLE(UInt16(3), at: 56)
        rejects(Array(truncatedHeaders.prefix(64 + 56 + 10)), "file ends before")
    }

    func testBzImageIsLoadedAtOneMiBWithTheEntryAt0x200() throws {
        let memory = try GuestMemory(size: 8 << 20)
        let payload = [UInt8](repeating: 0x90, count: 0x400)
        let image = Images.bzImage(payload: payload)
        XCTAssertTrue(BzImageLoader.isBzImage(image))
        let loaded = try BzImageLoader.load(image, path: "bzImage", into: memory)
        XCTAssertEqual(loaded.format, .bzImage)
        XCTAssertEqual(loaded.entryAddress, 0x100200)
        XCTAssertEqual(loaded.endAddress, 0x200000 + 0x10000)  // decompresses at the 2 MiB-aligned address
        XCTAssertEqual(loaded.commandLineLimit, 2048)
        XCTAssertEqual(loaded.initrdAddressMax, 0x7fff_ffff)
        XCTAssertEqual(loaded.setupHeader?.count, 0x26c - 0x1f1)
        XCTAssertEqual(try memory.readBytes(at: 0x100000, count: 0x400), payload)
    }

    func testBzImageRequirementsAreEnforced() throws {
        let memory = try GuestMemory(size: 8 << 20)
        XCTAssertThrowsError(try BzImageLoader.load(Images.bzImage(version: 0x020b, payload: [1]), path: "b", into: memory)) {
            XCTAssertTrue("\($0)".contains("older than 2.12"))
        }
        XCTAssertThrowsError(try BzImageLoader.load(Images.bzImage(xloadflags: 0, payload: [1]), path: "b", into: memory)) {
            XCTAssertTrue("\($0)".contains("XLF_KERNEL_64"))
        }
        XCTAssertThrowsError(try BzImageLoader.load(Images.bzImage(initSize: 64 << 20, payload: [1]), path: "b", into: memory)) {
            XCTAssertTrue("\($0)".contains("init_size"))
        }
        XCTAssertThrowsError(try BzImageLoader.load(Images.bzImage(setupSectors: 9, payload: []).prefix(0x300).map { $0 },
                                                    path: "b", into: memory))
        XCTAssertThrowsError(try X86Boot.loadKernel(.init(path: "junk", bytes: [1, 2, 3]), into: memory)) {
            XCTAssertEqual("\($0)", "kernel junk: neither an ELF vmlinux nor a bzImage")
        }
    }
}

/// Seeded random corruption of valid images: the loaders must reject or load, never trap or write outside
/// guest RAM (GuestMemory would throw).
final class KernelLoaderFuzzTests: XCTestCase {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    func testCorruptedImagesNeverCrashTheLoaders() throws {
        let memory = try GuestMemory(size: 4 << 20)
        let elf = SyntheticKernelImages.elf(entry: 0x100000, segments: [
            .init(physicalAddress: 0x100000, data: [1, 2, 3], memorySize: 16),
            .init(physicalAddress: 0x200000, data: [4], memorySize: 4096),
        ])
        let bz = SyntheticKernelImages.bzImage(payload: [UInt8](repeating: 0x90, count: 256))
        var random = SplitMix64(state: 0x5eed)
        var loaded = 0
        for round in 0..<3000 {
            var image = round % 2 == 0 ? elf : bz
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let position = Int.random(in: 0..<image.count, using: &random)
                image[position] = UInt8.random(in: 0...255, using: &random)
            }
            if round % 7 == 0 { image = Array(image.prefix(Int.random(in: 0...image.count, using: &random))) }
            if (try? X86Boot.loadKernel(.init(path: "fuzz", bytes: image), into: memory)) != nil { loaded += 1 }
        }
        XCTAssertGreaterThan(loaded, 0, "some corruptions are harmless and still load")
    }
}
