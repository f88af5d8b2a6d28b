@testable import ImageArchive
import XCTest

final class SHA512HasherTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(
            SHA512Hasher.hexDigest(of: []),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
        XCTAssertEqual(
            SHA512Hasher.hexDigest(of: Array("abc".utf8)),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }

    func testStreamingInPiecesEqualsOneShot() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let hasher = SHA512Hasher()
        var offset = 0
        for size in [1, 127, 128, 129, 4096, 50_000] {
            hasher.update(Array(bytes[offset..<offset + size]))
            offset += size
        }
        bytes[offset...].withUnsafeBytes { hasher.update($0) }
        XCTAssertEqual(hasher.finalize(), SHA512Hasher.hexDigest(of: bytes))
    }
}
