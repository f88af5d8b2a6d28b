import CKVM
import XCTest
@testable import VMM

/// Decoding of `kvm_run` without KVM: exits are built by hand in an anonymous buffer, including hostile ones.
final class KvmRunDecodingTests: XCTestCase {
    private func mapping(_ configure: (inout kvm_run) -> Void) -> KvmRunMapping {
        let m = KvmRunMapping(anonymousSize: 3 * 4096)
        var r = m.run
        configure(&r)
        m.run = r
        return m
    }

    func testIoOutDataIsReadFromTheDataOffset() throws {
        let m = mapping {
            $0.exit_reason = UInt32(KVM_EXIT_IO)
            $0.io.direction = UInt8(KVM_EXIT_IO_OUT)
            $0.io.size = 2
            $0.io.count = 2
            $0.io.port = 0x1f0
            $0.io.data_offset = 4096
        }
        m.raw.advanced(by: 4096).copyMemory(from: [UInt8]([1, 2, 3, 4]), byteCount: 4)
        XCTAssertEqual(try m.decodeExit(), .ioOut(port: 0x1f0, size: 2, data: [1, 2, 3, 4]))
    }

    func testIoDataOutsideTheMappingIsRejected() {
        for offset: UInt64 in [3 * 4096 - 4, 0, 100, UInt64.max - 1] {
            let m = mapping {
                $0.exit_reason = UInt32(KVM_EXIT_IO)
                $0.io.direction = UInt8(KVM_EXIT_IO_OUT)
                $0.io.size = 4
                $0.io.count = 4
                $0.io.data_offset = offset
            }
            XCTAssertThrowsError(try m.decodeExit(), "offset \(offset)")
        }
    }

    func testInvalidIoSizeAndMmioLengthAreRejected() {
        let io = mapping {
            $0.exit_reason = UInt32(KVM_EXIT_IO)
            $0.io.size = 3
            $0.io.count = 1
            $0.io.data_offset = 4096
        }
        XCTAssertThrowsError(try io.decodeExit())
        let mmio = mapping {
            $0.exit_reason = UInt32(KVM_EXIT_MMIO)
            $0.mmio.len = 9
        }
        XCTAssertThrowsError(try mmio.decodeExit())
    }

    func testIoInCompletionMustMatchThePendingExit() throws {
        let m = mapping {
            $0.exit_reason = UInt32(KVM_EXIT_IO)
            $0.io.direction = UInt8(KVM_EXIT_IO_IN)
            $0.io.size = 1
            $0.io.count = 1
            $0.io.port = 0x3fd
            $0.io.data_offset = 8192
        }
        XCTAssertEqual(try m.decodeExit(), .ioIn(port: 0x3fd, size: 1, count: 1))
        XCTAssertThrowsError(try m.completeIoIn([1, 2]))
        try m.completeIoIn([0x60])
        XCTAssertEqual(m.raw.load(fromByteOffset: 8192, as: UInt8.self), 0x60)
    }

    func testMmioWriteAndReadCompletion() throws {
        let write = mapping {
            $0.exit_reason = UInt32(KVM_EXIT_MMIO)
            $0.mmio.phys_addr = 0xd000_0050
            $0.mmio.len = 4
            $0.mmio.is_write = 1
            $0.mmio.data = (7, 0, 0, 0, 9, 9, 9, 9)
        }
        XCTAssertEqual(try write.decodeExit(), .mmioWrite(address: 0xd000_0050, data: [7, 0, 0, 0]))
        XCTAssertThrowsError(try write.completeMmioRead([1, 2, 3, 4]))

        let read = mapping {
            $0.exit_reason = UInt32(KVM_EXIT_MMIO)
            $0.mmio.phys_addr = 0xd000_0000
            $0.mmio.len = 4
        }
        XCTAssertEqual(try read.decodeExit(), .mmioRead(address: 0xd000_0000, size: 4))
        try read.completeMmioRead([0x76, 0x69, 0x72, 0x74])
        XCTAssertEqual(read.run.mmio.data.0, 0x76)
        XCTAssertEqual(read.run.mmio.data.3, 0x74)
    }

    func testOtherExitReasons() throws {
        XCTAssertEqual(try mapping { $0.exit_reason = UInt32(KVM_EXIT_HLT) }.decodeExit(), .halt)
        XCTAssertEqual(try mapping { $0.exit_reason = UInt32(KVM_EXIT_SHUTDOWN) }.decodeExit(), .shutdown)
        XCTAssertEqual(try mapping { $0.exit_reason = UInt32(KVM_EXIT_INTR) }.decodeExit(), .interrupted)
        XCTAssertEqual(try mapping {
            $0.exit_reason = UInt32(KVM_EXIT_SYSTEM_EVENT)
            $0.system_event.type = UInt32(KVM_SYSTEM_EVENT_RESET)
        }.decodeExit(), .systemEvent(type: UInt32(KVM_SYSTEM_EVENT_RESET), flags: 0))
        XCTAssertEqual(try mapping {
            $0.exit_reason = UInt32(KVM_EXIT_INTERNAL_ERROR)
            $0.`internal`.suberror = UInt32(KVM_INTERNAL_ERROR_EMULATION)
            $0.`internal`.ndata = 200  // hostile count: bounded to the 16 words that exist
        }.decodeExit(), .internalError(suberror: 1, data: Array(repeating: 0, count: 16)))
        XCTAssertEqual(try mapping {
            $0.exit_reason = UInt32(KVM_EXIT_FAIL_ENTRY)
            $0.fail_entry.hardware_entry_failure_reason = 0x21
            $0.fail_entry.cpu = 1
        }.decodeExit(), .failEntry(hardwareReason: 0x21, cpu: 1))
        XCTAssertEqual(try mapping { $0.exit_reason = 999 }.decodeExit(), .unhandled(reason: 999))
    }

    func testImmediateExitFlag() {
        let m = KvmRunMapping(anonymousSize: 3 * 4096)
        XCTAssertFalse(m.immediateExit)
        m.immediateExit = true
        XCTAssertEqual(m.run.immediate_exit, 1)
    }

    func testCpuidAndMsrListsRoundTripAndAreBounded() throws {
        let entries = [CpuidEntry(function: 1, eax: 1, ebx: 2, ecx: 3, edx: 4), CpuidEntry(function: 7, index: 0, ebx: 9)]
        XCTAssertEqual(try KvmEntryList<kvm_cpuid_entry2>(cpuid: entries).cpuidEntries, entries)
        let msrs = [MsrEntry(index: 0x10, value: 5), MsrEntry(index: 0x1a0, value: 1)]
        XCTAssertEqual(try KvmEntryList<kvm_msr_entry>(msrs: msrs).msrEntries, msrs)
        XCTAssertThrowsError(try KvmEntryList<kvm_cpuid_entry2>(cpuid: Array(repeating: entries[0], count: 257)))
        let list = try KvmEntryList<kvm_msr_entry>(msrs: msrs)
        list.count = 1000  // a count beyond the buffer is clamped
        XCTAssertEqual(list.msrEntries.count, 2)
    }
}
