/// Why one guest packet was dropped. Such a packet fails alone: the queue and other connections go on.
public enum VsockPacketError: Error, Equatable, Sendable, CustomStringConvertible {
    case shortHeader(Int)
    case payloadTooLarge(UInt32, limit: UInt32)
    case payloadBeyondChain(UInt32, available: Int)
    case wrongSourceCID(UInt64)
    case wrongDestinationCID(UInt64)
    case unknownOperation(UInt16)
    case unsupportedType(UInt16)
    case duplicateRequest(VsockConnectionKey)
    case unexpectedResponse(VsockConnectionKey)
    case dataBeforeEstablished(VsockConnectionKey)
    case dataAfterShutdown(VsockConnectionKey)
    case creditExceeded(VsockConnectionKey, buffered: Int, length: UInt32)

    public var description: String {
        switch self {
        case let .shortHeader(count): return "packet of \(count) bytes is shorter than the 44-byte header"
        case let .payloadTooLarge(length, limit): return "header len \(length) exceeds the payload limit \(limit)"
        case let .payloadBeyondChain(length, available):
            return "header len \(length) exceeds the \(available) payload bytes in the chain"
        case let .wrongSourceCID(cid): return "src_cid \(cid) is not the guest's CID"
        case let .wrongDestinationCID(cid): return "dst_cid \(cid) is not the host (2)"
        case let .unknownOperation(op): return "unknown op \(op)"
        case let .unsupportedType(type): return "socket type \(type) is not STREAM (answered with RST)"
        case let .duplicateRequest(key): return "REQUEST for open connection \(key) ignored"
        case let .unexpectedResponse(key): return "RESPONSE on established connection \(key) (reset)"
        case let .dataBeforeEstablished(key): return "RW before RESPONSE on \(key) (reset)"
        case let .dataAfterShutdown(key): return "RW after SHUTDOWN(SEND) on \(key) dropped"
        case let .creditExceeded(key, buffered, length):
            return "RW of \(length) bytes on \(key) with \(buffered) buffered exceeds buf_alloc (reset)"
        }
    }
}
