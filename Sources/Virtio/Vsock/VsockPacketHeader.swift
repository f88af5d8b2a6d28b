/// struct virtio_vsock_hdr (virtio 1.2 §5.10.6), 44 bytes, little-endian, packed:
/// src_cid u64, dst_cid u64, src_port u32, dst_port u32, len u32, type u16, op u16, flags u32,
/// buf_alloc u32, fwd_cnt u32. `op` is kept raw so a header with an unknown op can still be decoded and reported.
public struct VsockPacketHeader: Equatable, Sendable {
    public static let size = 44

    public var sourceCID: UInt64
    public var destinationCID: UInt64
    public var sourcePort: UInt32
    public var destinationPort: UInt32
    public var length: UInt32
    public var type: UInt16
    public var rawOperation: UInt16
    public var flags: UInt32
    public var bufferAllocation: UInt32
    public var forwardCount: UInt32

    public init(
        sourceCID: UInt64, destinationCID: UInt64, sourcePort: UInt32, destinationPort: UInt32,
        length: UInt32 = 0, type: UInt16 = VirtioVsock.streamType, operation: VsockOperation, flags: UInt32 = 0,
        bufferAllocation: UInt32 = 0, forwardCount: UInt32 = 0
    ) {
        self.init(sourceCID: sourceCID, destinationCID: destinationCID, sourcePort: sourcePort,
                  destinationPort: destinationPort, length: length, type: type, rawOperation: operation.rawValue,
                  flags: flags, bufferAllocation: bufferAllocation, forwardCount: forwardCount)
    }

    public init(
        sourceCID: UInt64, destinationCID: UInt64, sourcePort: UInt32, destinationPort: UInt32,
        length: UInt32, type: UInt16, rawOperation: UInt16, flags: UInt32,
        bufferAllocation: UInt32, forwardCount: UInt32
    ) {
        self.sourceCID = sourceCID
        self.destinationCID = destinationCID
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = length
        self.type = type
        self.rawOperation = rawOperation
        self.flags = flags
        self.bufferAllocation = bufferAllocation
        self.forwardCount = forwardCount
    }

    /// The operation, or nil when `rawOperation` is not one virtio 1.2 defines.
    public var operation: VsockOperation? { VsockOperation(rawValue: rawOperation) }

    /// Decodes the first 44 bytes; nil when fewer are given.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= Self.size else { return nil }
        func field<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            var value: T = 0
            for index in 0..<MemoryLayout<T>.size {
                value |= T(bytes[offset + index]) << (8 * index)
            }
            return value
        }
        self.init(sourceCID: field(0, UInt64.self), destinationCID: field(8, UInt64.self),
                  sourcePort: field(16, UInt32.self), destinationPort: field(20, UInt32.self),
                  length: field(24, UInt32.self), type: field(28, UInt16.self), rawOperation: field(30, UInt16.self),
                  flags: field(32, UInt32.self), bufferAllocation: field(36, UInt32.self),
                  forwardCount: field(40, UInt32.self))
    }

    /// The 44 wire bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.size)
        func append<T: FixedWidthInteger>(_ value: T) {
            for index in 0..<MemoryLayout<T>.size { out.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
        }
        append(sourceCID)
        append(destinationCID)
        append(sourcePort)
        append(destinationPort)
        append(length)
        append(type)
        append(rawOperation)
        append(flags)
        append(bufferAllocation)
        append(forwardCount)
        return out
    }
}
