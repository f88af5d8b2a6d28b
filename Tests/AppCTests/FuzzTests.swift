import AppC
import Foundation
import XCTest

/// Deterministic mutation fuzzing: every mutated input must either decode or fail with a
/// `ValidationError` — never trap — and whatever decodes must encode and decode to itself.
final class FuzzTests: XCTestCase {
    /// A fixed-seed generator so failures reproduce (SplitMix64).
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static let interesting: [[UInt8]] = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", "-", "0", "9", "e", ".", "/", "..", "null", "true", "1e999",
        "-1", "65536", "\\u0000", "\\ud800", "A", "Ki", "sha512-", "\u{FEFF}", "\u{1F600}",
    ].map { Array($0.utf8) }

    private func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(contentsOf: Self.interesting.randomElement(using: &rng)!, at: at)
            default:
                let length = min(Int.random(in: 1...16, using: &rng), bytes.count - at)
                bytes.removeSubrange(at..<(at + length))
            }
        }
        return bytes
    }

    private func check<T: Equatable>(_ seed: [UInt8], iterations: Int, decode: (Data) throws -> T, encode: (T) throws -> Data) {
        var rng = SplitMix(state: 0x5EED)
        var decoded = 0
        for _ in 0..<iterations {
            let input = Data(mutate(seed, &rng))
            do {
                let value = try decode(input)
                decoded += 1
                XCTAssertEqual(try decode(encode(value)), value, String(decoding: input, as: UTF8.self))
            } catch is ValidationError {
                continue
            } catch {
                XCTFail("unexpected error type \(error) for \(String(decoding: input, as: UTF8.self))")
            }
        }
        XCTAssertGreaterThan(decoded, 0, "some mutations should still be valid")
    }

    func testImageManifestMutations() {
        check(Array(SpecExamples.imageManifest.utf8), iterations: 1500,
              decode: { try ImageManifest(jsonData: $0) }, encode: { try $0.jsonData() })
    }

    func testPodManifestMutations() {
        check(Array(SpecExamples.podManifest.utf8), iterations: 1500,
              decode: { try PodManifest(jsonData: $0) }, encode: { try $0.jsonData() })
    }

    func testStringParsersNeverTrap() {
        var rng = SplitMix(state: 42)
        let seeds = ["1.5Gi", "sha512-abcdef", "example.com/app:1.0,os=linux", "1.0.0-rc.1+b", "2014-10-27T19:32:27.67Z",
                     "data,kind=empty,mode=0755", "http:127.0.0.1:80"]
        for _ in 0..<4000 {
            let text = String(decoding: mutate(Array(seeds.randomElement(using: &rng)!.utf8), &rng), as: UTF8.self)
            _ = try? ResourceQuantity(text)
            _ = try? ImageID(text)
            _ = try? ImageReference(parsing: text)
            _ = try? ACVersion(text)
            _ = try? Volume(parsing: text)
            _ = try? ExposedPort(parsing: text)
            _ = try? Annotation("created", text).name
            let manifest = ImageManifest(name: try! ACIdentifier("a"), annotations: [try! Annotation("created", text)])
            _ = try? manifest.jsonData()
        }
    }

    func testNULInHostIPIsRefused() {
        let json = #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":[],"ports":[{"name":"p","hostPort":1,"hostIP":"127.0.0.1\u0000x"}]}"#
        XCTAssertThrowsError(try PodManifest(jsonData: Data(json.utf8))) { error in
            XCTAssertEqual((error as? ValidationError)?.path, "ports[0].hostIP")
        }
    }
}
