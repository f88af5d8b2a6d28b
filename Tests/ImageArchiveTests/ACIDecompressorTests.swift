import Foundation
@testable import ImageArchive
import XCTest

final class ACIDecompressorTests: XCTestCase {
    private func sampleTar(_ scratch: Scratch) throws -> String {
        try scratch.tar("image.tar", [
            .file("manifest", #"{"acKind":"ImageManifest"}"#),
            .directory("rootfs"),
            .file("rootfs/hello", String(repeating: "hello world\n", count: 5000)),
        ])
    }

    private func decompress(_ input: String, limit: Int64 = 1 << 30, into output: String,
                            progress: ((Int64) -> Void)? = nil) throws -> (sha512Hex: String, uncompressedSize: Int64) {
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        return try ACIDecompressor.decompress(inputPath: input, outputFD: fd, limit: limit, progress: progress)
    }

    func testCompressedInputsGiveThePlainTarsIDWhichIsItsSha512sum() throws {
        let scratch = try Scratch()
        let tar = try sampleTar(scratch)
        let expected = String(try scratch.shell("sha512sum image.tar").prefix(128))
        let size = Int64(try FileManager.default.attributesOfItem(atPath: tar)[.size] as! Int)
        try scratch.shell("gzip -c image.tar > image.gz && bzip2 -c image.tar > image.bz2 && xz -c image.tar > image.xz && zstd -q -c image.tar > image.zst")
        for input in ["image.tar", "image.gz", "image.bz2", "image.xz", "image.zst"] {
            let output = scratch.path("out-\(input).tar")
            let result = try decompress(scratch.path(input), into: output)
            XCTAssertEqual(result.sha512Hex, expected, input)
            XCTAssertEqual(result.uncompressedSize, size, input)
            XCTAssertEqual(FileManager.default.contents(atPath: output), FileManager.default.contents(atPath: tar), input)
        }
    }

    func testStreamsFromAPipe() throws {
        let scratch = try Scratch()
        _ = try sampleTar(scratch)
        let expected = String(try scratch.shell("sha512sum image.tar").prefix(128))
        let compressor = Process()
        compressor.executableURL = URL(fileURLWithPath: "/bin/sh")
        compressor.arguments = ["-c", "xz -c '\(scratch.path("image.tar"))'"]
        let pipe = Pipe()
        compressor.standardOutput = pipe
        try compressor.run()
        let output = open(scratch.path("out.tar"), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(output) }
        let result = try ACIDecompressor.decompress(
            inputFD: pipe.fileHandleForReading.fileDescriptor, outputFD: output, limit: 1 << 30, inputName: "xz pipe")
        compressor.waitUntilExit()
        XCTAssertEqual(result.sha512Hex, expected)
    }

    func testWriteFailureIsReported() throws {
        let scratch = try Scratch()
        let tar = try sampleTar(scratch)
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        guard full >= 0 else { throw XCTSkip("/dev/full is not available") }
        defer { close(full) }
        XCTAssertThrowsError(try ACIDecompressor.decompress(inputPath: tar, outputFD: full, limit: 1 << 30)) { error in
            guard case .outputFailed(let reason)? = error as? ImageArchiveError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("No space left"), reason)
        }
    }

    func testInputOverTheLimitIsRefused() throws {
        let scratch = try Scratch()
        _ = try sampleTar(scratch)
        try scratch.shell("gzip -c image.tar > image.gz")
        XCTAssertThrowsError(try decompress(scratch.path("image.gz"), limit: 4096, into: scratch.path("out.tar"))) { error in
            XCTAssertEqual(error as? ImageArchiveError, .inputTooLarge(archive: scratch.path("image.gz"), limit: 4096))
        }
    }

    func testDataThatIsNotATarIsRefused() throws {
        let scratch = try Scratch()
        try scratch.shell("head -c 20000 /dev/zero | tr '\\0' 'x' | gzip -c > text.gz && : > empty && printf short | xz -c > short.xz")
        for (input, reason) in [("text.gz", "checksum"), ("empty", "empty"), ("short.xz", "truncated")] {
            XCTAssertThrowsError(try decompress(scratch.path(input), into: scratch.path("out.tar")), input) { error in
                guard case let .notATar(archive, why)? = error as? ImageArchiveError else {
                    return XCTFail("\(input): unexpected \(error)")
                }
                XCTAssertEqual(archive, scratch.path(input))
                XCTAssertTrue(why.contains(reason), "\(input): \(why)")
            }
        }
    }

    func testTruncatedCompressedStreamIsAnError() throws {
        let scratch = try Scratch()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        _ = try scratch.tar("image.tar", [TarMember(path: "rootfs/noise", kind: .file(noise))])
        for tool in ["gzip", "bzip2", "xz", "zstd"] {
            try scratch.shell("\(tool) -c image.tar | head -c 100000 > cut.\(tool)")
        }
        try scratch.shell("head -c 9000 image.tar > cut.tar")
        for input in ["cut.gzip", "cut.bzip2", "cut.xz", "cut.zstd", "cut.tar"] {
            XCTAssertThrowsError(try decompress(scratch.path(input), into: scratch.path("out.tar")), input) { error in
                switch error as? ImageArchiveError {
                case let .unreadable(archive, _)?, let .notATar(archive, _)?:
                    XCTAssertEqual(archive, scratch.path(input))
                default:
                    XCTFail("\(input): unexpected \(error)")
                }
            }
        }
    }

    /// 64 MiB through gzip: the data arrives in many chunks of at most 1 MiB and the peak RSS grows by
    /// far less than the image size.
    func testLargeImageStreamsInBoundedChunks() throws {
        let scratch = try Scratch()
        let size: Int64 = 64 << 20
        _ = try scratch.tar("big.tar", [TarMember(path: "rootfs/blob", kind: .largeFile(size: size))])
        try scratch.shell("gzip -1 -c big.tar > big.gz && rm big.tar")
        var calls = 0
        var last: Int64 = 0
        var largestStep: Int64 = 0
        let before = Self.peakResidentKiB()
        let result = try decompress(scratch.path("big.gz"), into: scratch.path("out.tar")) { total in
            calls += 1
            largestStep = max(largestStep, total - last)
            last = total
        }
        let growth = Self.peakResidentKiB() - before
        XCTAssertGreaterThan(result.uncompressedSize, size)
        XCTAssertEqual(last, result.uncompressedSize)
        XCTAssertGreaterThanOrEqual(calls, 64)
        XCTAssertLessThanOrEqual(largestStep, 1 << 20)
        XCTAssertLessThan(growth, 24 << 10, "peak RSS grew by \(growth) KiB")
        XCTAssertEqual(result.sha512Hex, String(try scratch.shell("sha512sum out.tar").prefix(128)))
    }

    static func peakResidentKiB() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }
}
