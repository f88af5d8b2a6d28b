import LinuxSupport
import Virtio
#if canImport(Glibc)
import Glibc
#endif

/// A 16550A-compatible UART (8 ports, e.g. COM1 at 0x3f8): transmitted bytes go straight to a file
/// descriptor, the line status always reports an empty transmitter, received bytes come from
/// `enqueueInput`, and the THR-empty / data-ready interrupts are raised on an `InterruptLine` (IRQ 4).
/// Loopback mode and the scratch register behave as Linux's 8250 probing expects.
public final class Serial8250: BusDevice, @unchecked Sendable {
    public static let portCount: UInt16 = 8
    public static let com1Port: UInt16 = 0x3f8
    public static let com1Irq: UInt32 = 4
    static let inputLimit = 64 * 1024

    enum Register {
        static let data = 0, interruptEnable = 1, interruptIdentification = 2, lineControl = 3
        static let modemControl = 4, lineStatus = 5, modemStatus = 6, scratch = 7
    }
    static let ierReceivedData: UInt8 = 0x01
    static let ierTransmitterEmpty: UInt8 = 0x02
    static let iirNone: UInt8 = 0x01
    static let iirTransmitterEmpty: UInt8 = 0x02
    static let iirReceivedData: UInt8 = 0x04
    static let iirFifoEnabled: UInt8 = 0xc0
    static let lcrDivisorLatch: UInt8 = 0x80
    static let lsrDataReady: UInt8 = 0x01
    static let lsrTransmitterIdle: UInt8 = 0x60  // THRE | TEMT
    static let mcrLoopback: UInt8 = 0x10
    static let msrCarrierDataSetClearToSend: UInt8 = 0xb0

    private let lock = ThreadLock()
    private let outputDescriptor: Int32
    private let interrupt: (any InterruptLine)?
    private var input: [UInt8] = []
    private var interruptEnable: UInt8 = 0
    private var lineControl: UInt8 = 0x03
    private var modemControl: UInt8 = 0x08
    private var scratch: UInt8 = 0
    private var divisorLow: UInt8 = 0x0c  // 9600 baud
    private var divisorHigh: UInt8 = 0
    private var fifoEnabled = false
    private var transmitterEmptyPending = false
    /// Bytes the output descriptor refused (it is not ours to block on).
    public private(set) var droppedOutputBytes = 0

    /// `outputDescriptor` is written, not owned. `interrupt` nil means a polled UART.
    public init(outputDescriptor: Int32, interrupt: (any InterruptLine)?) {
        self.outputDescriptor = outputDescriptor
        self.interrupt = interrupt
    }

    public func read(offset: UInt64, count: Int) -> [UInt8] {
        let value: UInt8 = lock.withLock { readRegister(Int(offset)) }
        return [value] + [UInt8](repeating: 0, count: max(count - 1, 0))
    }

    public func write(offset: UInt64, bytes: [UInt8]) {
        guard let value = bytes.first else { return }
        let raise = lock.withLock { writeRegister(Int(offset), value) }
        if raise { raiseInterrupt() }
    }

    /// Host input for the guest (keyboard / stdin); bytes beyond the buffer limit are dropped. Returns how
    /// many were accepted.
    @discardableResult
    public func enqueueInput<Bytes: Collection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        let (accepted, raise): (Int, Bool) = lock.withLock {
            let accepted = min(bytes.count, Self.inputLimit - input.count)
            input += bytes.prefix(accepted)
            return (accepted, accepted > 0 && interruptEnable & Self.ierReceivedData != 0)
        }
        if raise { raiseInterrupt() }
        return accepted
    }

    private var divisorLatch: Bool { lineControl & Self.lcrDivisorLatch != 0 }
    private var loopback: Bool { modemControl & Self.mcrLoopback != 0 }

    private func readRegister(_ register: Int) -> UInt8 {
        switch register {
        case Register.data:
            if divisorLatch { return divisorLow }
            return input.isEmpty ? 0 : input.removeFirst()
        case Register.interruptEnable:
            return divisorLatch ? divisorHigh : interruptEnable
        case Register.interruptIdentification:
            let fifo = fifoEnabled ? Self.iirFifoEnabled : 0
            if interruptEnable & Self.ierReceivedData != 0 && !input.isEmpty { return Self.iirReceivedData | fifo }
            if interruptEnable & Self.ierTransmitterEmpty != 0 && transmitterEmptyPending {
                transmitterEmptyPending = false  // reading IIR acknowledges THRE
                return Self.iirTransmitterEmpty | fifo
            }
            return Self.iirNone | fifo
        case Register.lineControl: return lineControl
        case Register.modemControl: return modemControl
        case Register.lineStatus: return Self.lsrTransmitterIdle | (input.isEmpty ? 0 : Self.lsrDataReady)
        case Register.modemStatus:
            guard loopback else { return Self.msrCarrierDataSetClearToSend }
            // Loopback wires RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
            return (modemControl & 0x02) << 3 | (modemControl & 0x01) << 5 | (modemControl & 0x04) << 4
                | (modemControl & 0x08) << 4
        case Register.scratch: return scratch
        default: return 0xff
        }
    }

    /// Returns whether an interrupt condition arose.
    private func writeRegister(_ register: Int, _ value: UInt8) -> Bool {
        switch register {
        case Register.data:
            if divisorLatch {
                divisorLow = value
                return false
            }
            if loopback {
                if input.count < Self.inputLimit { input.append(value) }
            } else {
                emit(value)
            }
            transmitterEmptyPending = true
            return interruptEnable & Self.ierTransmitterEmpty != 0
                || (loopback && interruptEnable & Self.ierReceivedData != 0)
        case Register.interruptEnable:
            if divisorLatch {
                divisorHigh = value
                return false
            }
            let enablingTransmitter = value & Self.ierTransmitterEmpty != 0 && interruptEnable & Self.ierTransmitterEmpty == 0
            interruptEnable = value & 0x0f
            if enablingTransmitter { transmitterEmptyPending = true }
            return enablingTransmitter || (interruptEnable & Self.ierReceivedData != 0 && !input.isEmpty)
        case Register.interruptIdentification:
            fifoEnabled = value & 0x01 != 0  // FCR
            if value & 0x02 != 0 { input.removeAll() }
            return false
        case Register.lineControl: lineControl = value
        case Register.modemControl: modemControl = value & 0x1f
        case Register.scratch: scratch = value
        default: break
        }
        return false
    }

    private func emit(_ byte: UInt8) {
        var b = byte
        while true {
            let written = Glibc.write(outputDescriptor, &b, 1)
            if written == 1 { return }
            if written < 0 && errno == EINTR { continue }
            droppedOutputBytes += 1
            return
        }
    }

    private func raiseInterrupt() {
        try? interrupt?.trigger()
    }
}
