/// Follows a tar byte stream block by block while it is written elsewhere, so a decompressed image is
/// known to be a complete tar: every header's checksum matches, each member's data is fully present,
/// and the stream reaches the end-of-archive marker. Catches streams that decompressors end early
/// without an error (some filters treat truncated input as a clean end).
struct TarStreamValidator {
    static let blockSize = 512
    /// pax extended headers are read to learn sizes that do not fit the ustar field.
    static let maxPaxHeaderBytes = 1 << 20
    /// Sizes beyond this (1 EiB) cannot be real and would overflow the block arithmetic.
    static let maxMemberSize: Int64 = 1 << 60

    private var header: [UInt8] = []
    /// Bytes of member data (plus padding) still to pass before the next header.
    private var toSkip: Int64 = 0
    /// Data of the pax header being collected, when the current member is one.
    private var paxData: [UInt8]?
    private var paxRemaining: Int64 = 0
    /// A size from the preceding pax header, which overrides the next header's size field.
    private var pendingPaxSize: Int64?
    private(set) var sawEnd = false
    private(set) var headers = 0

    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(TarStreamProblem) {
        var index = 0
        while index < bytes.count && !sawEnd {
            if toSkip > 0 {
                let step = Int(min(Int64(bytes.count - index), toSkip))
                if paxData != nil && paxRemaining > 0 {
                    let take = Int(min(Int64(step), paxRemaining))
                    paxData!.append(contentsOf: bytes[index..<index + take])
                    paxRemaining -= Int64(take)
                    if paxRemaining == 0 { try finishPaxHeader() }
                }
                toSkip -= Int64(step)
                index += step
                continue
            }
            let take = min(Self.blockSize - header.count, bytes.count - index)
            header.append(contentsOf: bytes[index..<index + take])
            index += take
            if header.count == Self.blockSize {
                try parseHeader()
                header.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Call at the end of the stream.
    func finish() throws(TarStreamProblem) {
        guard sawEnd else {
            if headers == 0 && header.isEmpty { throw TarStreamProblem("the stream is empty") }
            throw TarStreamProblem("the stream ends before the tar's end-of-archive marker (truncated)")
        }
    }

    private mutating func parseHeader() throws(TarStreamProblem) {
        if header.allSatisfy({ $0 == 0 }) {
            guard headers > 0 else { throw TarStreamProblem("the archive contains no entries") }
            sawEnd = true
            return
        }
        if let problem = TarHeaderCheck.problem(with: header) {
            throw TarStreamProblem("header \(headers + 1): \(problem)")
        }
        headers += 1
        guard let fieldSize = TarHeaderCheck.number(header[124..<136]), fieldSize >= 0 else {
            throw TarStreamProblem("header \(headers): the size field is not a number")
        }
        let type = header[156]
        var size = fieldSize
        if type == UInt8(ascii: "x") {
            guard size <= Int64(Self.maxPaxHeaderBytes) else {
                throw TarStreamProblem("header \(headers): pax header of \(size) bytes is too large")
            }
            paxData = []
            paxRemaining = size
        } else if type != UInt8(ascii: "g") && type != UInt8(ascii: "L") && type != UInt8(ascii: "K") {
            if let pendingPaxSize { size = pendingPaxSize }
            pendingPaxSize = nil
            // Links, directories, devices and FIFOs carry no data whatever their size field says.
            if [UInt8(ascii: "1"), UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4"),
                UInt8(ascii: "5"), UInt8(ascii: "6")].contains(type) {
                size = 0
            }
        }
        guard size < Self.maxMemberSize else {
            throw TarStreamProblem("header \(headers): member size \(size) is absurd")
        }
        toSkip = (size + Int64(Self.blockSize - 1)) / Int64(Self.blockSize) * Int64(Self.blockSize)
        if paxData != nil && paxRemaining == 0 { try finishPaxHeader() }
    }

    /// Reads the "size" record of a pax header ("LEN size=VALUE\n" records).
    private mutating func finishPaxHeader() throws(TarStreamProblem) {
        guard let data = paxData else { return }
        paxData = nil
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: data[index..<space], as: UTF8.self)),
                  length > 0, index + length <= data.count, data[index + length - 1] == UInt8(ascii: "\n")
            else { throw TarStreamProblem("header \(headers): malformed pax record") }
            let record = data[(space + 1)..<(index + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")),
               String(decoding: record[record.startIndex..<equals], as: UTF8.self) == "size" {
                guard let value = Int64(String(decoding: record[(equals + 1)...], as: UTF8.self)), value >= 0 else {
                    throw TarStreamProblem("header \(headers): pax size is not a number")
                }
                pendingPaxSize = value
            }
            index += length
        }
    }
}

struct TarStreamProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
