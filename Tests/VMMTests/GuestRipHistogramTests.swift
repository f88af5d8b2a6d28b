import XCTest
@testable import VMM

final class GuestRipHistogramTests: XCTestCase {
    func testReportListsAddressesMostFrequentFirstWithTheTotal() {
        let first = GuestRipHistogram()
        for rip: UInt64 in [0xffff_ffff_8100_0010, 0x40_1000, 0xffff_ffff_8100_0010, 0x7f00] { first.record(rip) }
        let second = GuestRipHistogram()
        second.record(0x40_1000)
        second.record(0x40_1000)
        first.merge(second)
        XCTAssertEqual(first.total, 6)
        XCTAssertEqual(first.report(intervalMicroseconds: 1000), """
            # rkt-vmm guest profile: 6 samples, one per vCPU every 1000 us
            3 0x401000
            2 0xffffffff81000010
            1 0x7f00

            """)
    }

    func testEmptyReportHasOnlyTheHeader() {
        XCTAssertEqual(GuestRipHistogram().report(intervalMicroseconds: 250),
                       "# rkt-vmm guest profile: 0 samples, one per vCPU every 250 us\n")
    }
}
