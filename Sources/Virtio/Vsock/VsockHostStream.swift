/// What one non-blocking read of a host stream gave.
public enum VsockReadResult: Equatable, Sendable {
    case data([UInt8])
    case wouldBlock
    case endOfStream
}

/// The host end of one vsock connection (a connected Unix socket for the hybrid backend).
/// Non-blocking: reads and writes never wait.
public protocol VsockHostStream: AnyObject {
    /// Identifies the stream in `VsockBackendEvent.ready` (the file descriptor).
    var identifier: Int32 { get }
    /// Reads at most `count` bytes.
    func read(upTo count: Int) throws -> VsockReadResult
    /// Writes what fits now; returns how many bytes of `bytes` were taken (0 when the stream is full).
    func write(_ bytes: ArraySlice<UInt8>) throws -> Int
    /// No more bytes will be written (the host reader sees end of file).
    func shutdownWrite()
    /// Releases the stream; it is not used afterwards.
    func close()
}
