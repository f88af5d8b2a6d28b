import Virtio
import XCTest
@testable import VMM

final class BootLayoutTests: XCTestCase {
    func testMemoryMapLeavesOutTheLegacyHoleAndTheMmioGap() {
        XCTAssertEqual(E820Entry.memoryMap(ramRegions: X86Layout.ramRegions(size: 256 << 20)), [
            E820Entry(address: 0, size: 0x9fc00, type: 1),
            E820Entry(address: 0x100000, size: (256 << 20) - 0x100000, type: 1),
        ])
        let big = X86Layout.ramRegions(size: 4 << 30)
        XCTAssertEqual(big.count, 2)
        XCTAssertEqual(E820Entry.memoryMap(ramRegions: big).last, E820Entry(address: 1 << 32, size: (4 << 30) - 0xd000_0000, type: 1))
    }

    func testGuestMemorySizeIsValidated() {
        XCTAssertThrowsError(try X86Boot.makeMemory(size: (16 << 20) + 1)) {
            XCTAssertEqual($0 as? BootError, .invalidMemorySize((16 << 20) + 1))
        }
        XCTAssertThrowsError(try X86Boot.makeMemory(size: 4096))
        XCTAssertThrowsError(try X86Boot.makeMemory(size: 2 << 40))
        XCTAssertEqual(try X86Boot.makeMemory(size: 16 << 20).totalSize, 16 << 20)
    }

    func testZeroPageFieldsForAnElfKernel() throws {
        var params = BootParams(kernel: LoadedKernel(format: .elf, entryAddress: 0x1000000, endAddress: 0x2000000))
        params.setCommandLine(address: 0x20000, size: 12)
        params.setRamdisk(address: 0x0fff_0000, size: 0x1234)
        try params.setMemoryMap([E820Entry(address: 0, size: 0x9fc00, type: 1), E820Entry(address: 0x100000, size: 0x100000, type: 1)])
        let b = params.bytes
        XCTAssertEqual(b.count, 4096)
        XCTAssertEqual(b.loadLE(UInt16.self, at: 0x1fe), 0xaa55)
        XCTAssertEqual(b.loadLE(UInt32.self, at: 0x202), 0x5372_6448)
        XCTAssertEqual(b[0x210], 0xff)
        XCTAssertEqual(b.loadLE(UInt32.self, at: 0x228), 0x20000)
        XCTAssertEqual(b.loadLE(UInt32.self, at: 0x218), 0x0fff_0000)
        XCTAssertEqual(b.loadLE(UInt32.self, at: 0x21c), 0x1234)
        XCTAssertEqual(b[0x1e8], 2)
        XCTAssertEqual(b.loadLE(UInt64.self, at: 0x2d0 + 20), 0x100000)
        XCTAssertEqual(b.loadLE(UInt64.self, at: 0x2d0 + 28), 0x100000)
        XCTAssertEqual(b.loadLE(UInt32.self, at: 0x2d0 + 36), 1)
        XCTAssertEqual(params.e820.count, 2)
        XCTAssertThrowsError(try params.setMemoryMap(Array(repeating: E820Entry(address: 0, size: 1, type: 1), count: 129)))
    }

    func testZeroPageCopiesTheBzImageSetupHeader() throws {
        let memory = try GuestMemory(size: 8 << 20)
        let loaded = try BzImageLoader.load(SyntheticKernelImages.bzImage(payload: [0x90]), path: "b", into: memory)
        let params = BootParams(kernel: loaded)
        XCTAssertEqual(params.bytes.loadLE(UInt16.self, at: 0x206), 0x020f)       // version copied
        XCTAssertEqual(params.bytes.loadLE(UInt32.self, at: 0x238), 2048)         // cmdline_size copied
        XCTAssertEqual(params.typeOfLoader, 0xff)
    }

    func testCommandLineIsLimitedAndNulTerminated() throws {
        var line = KernelCommandLine(["console=ttyS0"])
        line.append(userText: "  init=/init   quiet ")
        XCTAssertEqual(line.text, "console=ttyS0 init=/init quiet")
        XCTAssertEqual(try line.bytes(limit: 100).last, 0)
        XCTAssertThrowsError(try line.bytes(limit: 10)) {
            XCTAssertEqual($0 as? BootError, .commandLineTooLong(length: 30, limit: 10))
        }
        XCTAssertThrowsError(try KernelCommandLine(["a\u{0}b"]).bytes(limit: 100))
    }

    func testInitrdGoesHighPageAlignedAndAboveTheKernel() throws {
        let kernel = LoadedKernel(format: .elf, entryAddress: 0x1000000, endAddress: 0x2000000)
        let address = try InitrdPlacement.address(size: 0x1801, path: "i", kernel: kernel, lowRamEnd: 0x1000_0000)
        XCTAssertEqual(address, 0x1000_0000 - 0x2000)
        var limited = kernel
        limited.initrdAddressMax = 0x07ff_ffff
        XCTAssertEqual(try InitrdPlacement.address(size: 0x1000, path: "i", kernel: limited, lowRamEnd: 0x1000_0000), 0x07ff_f000)
        XCTAssertThrowsError(try InitrdPlacement.address(size: 0x0f00_0000, path: "i", kernel: kernel, lowRamEnd: 0x1000_0000))
        XCTAssertThrowsError(try InitrdPlacement.address(size: 0, path: "i", kernel: kernel, lowRamEnd: 0x1000_0000))
        XCTAssertThrowsError(try InitrdPlacement.address(size: Int(UInt32.max) * 2, path: "i", kernel: kernel, lowRamEnd: 0x1000_0000))
    }

    func testIdentityPageTablesMapFourGiBWithTwoMiBPages() {
        let pages = IdentityPageTables.pages()
        XCTAssertEqual(pages.map(\.address), [0x9000, 0xa000, 0xb000, 0xc000, 0xd000, 0xe000])
        XCTAssertEqual(pages[0].bytes.loadLE(UInt64.self, at: 0), 0xa003)
        XCTAssertEqual(pages[0].bytes.loadLE(UInt64.self, at: 8), 0)
        XCTAssertEqual(pages[1].bytes.loadLE(UInt64.self, at: 0), 0xb003)
        XCTAssertEqual(pages[1].bytes.loadLE(UInt64.self, at: 24), 0xe003)
        XCTAssertEqual(pages[1].bytes.loadLE(UInt64.self, at: 32), 0)
        XCTAssertEqual(pages[2].bytes.loadLE(UInt64.self, at: 0), 0x83)
        XCTAssertEqual(pages[2].bytes.loadLE(UInt64.self, at: 8), 0x200083)
        XCTAssertEqual(pages[5].bytes.loadLE(UInt64.self, at: 511 * 8), 0xffe0_0083)
    }

    func testBootGdtMatchesLinuxEncodingAndSegments() {
        XCTAssertEqual(GdtEntry.bootTable.map(\.raw), [0, 0x00af_9b00_0000_ffff, 0x00cf_9300_0000_ffff, 0x008f_8b00_0000_ffff])
        let code = GdtEntry.bootTable[1].segment(selector: 8)
        XCTAssertEqual(code.l, 1)
        XCTAssertEqual(code.db, 0)
        XCTAssertEqual(code.type, 0xb)
        XCTAssertEqual(code.limit, 0xffff_ffff)
        XCTAssertEqual(code.present, 1)
        XCTAssertEqual(code.s, 1)
        let data = GdtEntry.bootTable[2].segment(selector: 0x10)
        XCTAssertEqual(data.db, 1)
        XCTAssertEqual(data.type, 3)
        XCTAssertEqual(GdtEntry.bootTable[3].segment(selector: 0x18).s, 0)
        XCTAssertEqual(GdtEntry.bootTable[0].segment(selector: 0).unusable, 1)
        XCTAssertEqual(GdtEntry(flags: 0x808b, base: 0x1234_5678, limit: 0x67).segment(selector: 0x18).base, 0x1234_5678)
    }

    func testLongModeRegisterState() {
        let sregs = LongModeBoot.specialRegisters(from: .init())
        XCTAssertEqual(sregs.cr0 & 0x8000_0001, 0x8000_0001)
        XCTAssertEqual(sregs.cr3, 0x9000)
        XCTAssertEqual(sregs.cr4 & 0x20, 0x20)
        XCTAssertEqual(sregs.efer & 0x500, 0x500)
        XCTAssertEqual(sregs.gdt.limit, 31)
        XCTAssertEqual(sregs.cs.selector, 8)
        let regs = LongModeBoot.registers(entry: 0x1000000)
        XCTAssertEqual(regs.rip, 0x1000000)
        XCTAssertEqual(regs.rsi, 0x7000)
        XCTAssertEqual(regs.rflags, 2)
        var lapic = [UInt8](repeating: 0, count: 1024)
        lapic.storeLE(UInt32(0x10700), at: 0x350)
        lapic = LongModeBoot.lapic(from: lapic)
        XCTAssertEqual(lapic.loadLE(UInt32.self, at: 0x350), 0x10700)
        XCTAssertEqual(lapic.loadLE(UInt32.self, at: 0x360), 0x400)
    }

    func testMpTableChecksumsAndEntries() throws {
        let bytes = try MpTable.bytes(vcpuCount: 2)
        XCTAssertEqual(Array(bytes[0..<4]), Array("_MP_".utf8))
        XCTAssertEqual(bytes[0..<16].reduce(UInt8(0), &+), 0)
        XCTAssertEqual(bytes.loadLE(UInt32.self, at: 4), 0x9fc10)
        let tableLength = Int(bytes.loadLE(UInt16.self, at: 16 + 4))
        XCTAssertEqual(tableLength, bytes.count - 16)
        XCTAssertEqual(bytes[16...].reduce(UInt8(0), &+), 0)
        XCTAssertEqual(bytes.loadLE(UInt16.self, at: 16 + 34), 2 + 1 + 1 + 24 + 2)
        XCTAssertEqual(bytes[16 + 44], 0)          // first processor entry
        XCTAssertEqual(bytes[16 + 44 + 3], 0x03)   // enabled BSP
        XCTAssertEqual(bytes[16 + 64 + 3], 0x01)   // enabled AP
        XCTAssertLessThanOrEqual(UInt64(bytes.count), X86Layout.mpTableLimit - X86Layout.mpTableAddress)
        XCTAssertLessThanOrEqual(UInt64(try MpTable.bytes(vcpuCount: MpTable.maximumVcpus).count), 0x400)
        XCTAssertThrowsError(try MpTable.bytes(vcpuCount: MpTable.maximumVcpus + 1))
        XCTAssertThrowsError(try MpTable.bytes(vcpuCount: 0))
    }

    func testFullLayoutInGuestMemory() throws {
        let memory = try X86Boot.makeMemory(size: 64 << 20)
        let kernel = SyntheticKernelImages.elf(entry: 0x1000000, segments: [.init(physicalAddress: 0x1000000, data: [0xf4], memorySize: 0x1000)])
        let initrd = [UInt8](repeating: 7, count: 5000)
        let loaded = try X86Boot.load(kernel: .init(path: "vmlinux", bytes: kernel), initrd: .init(path: "initrd", bytes: initrd),
                                      commandLine: KernelCommandLine(["console=ttyS0"]), vcpuCount: 1, memory: memory)
        XCTAssertEqual(loaded.entryAddress, 0x1000000)
        let params = try memory.readBytes(at: X86Layout.zeroPageAddress, count: 4096)
        XCTAssertEqual(params.loadLE(UInt32.self, at: 0x228), 0x20000)
        XCTAssertEqual(try memory.readBytes(at: 0x20000, count: 14), Array("console=ttyS0\0".utf8))
        let initrdAddress = UInt64(params.loadLE(UInt32.self, at: 0x218))
        XCTAssertEqual(initrdAddress, (64 << 20) - 0x2000)
        XCTAssertEqual(try memory.readBytes(at: initrdAddress, count: 5000), initrd)
        XCTAssertEqual(try memory.read(UInt64.self, at: 0x9000), 0xa003)
        XCTAssertEqual(try memory.read(UInt64.self, at: 0x508), 0x00af_9b00_0000_ffff)
        XCTAssertEqual(try memory.readBytes(at: 0x9fc00, count: 4), Array("_MP_".utf8))
    }
}
