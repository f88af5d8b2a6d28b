/// A resource isolator quantity as the spec writes them (Kubernetes quantity syntax): a decimal number
/// with an optional suffix — metric (`n u m k K M G T P E`), binary (`Ki Mi Gi Ti Pi Ei`) or an exponent
/// (`1e3`). `"1G"`, `"125952Ki"`, `"500m"`, `"0.5"`. Kept as written; `milliValue` is the exact amount
/// in thousandths of the base unit, rounded up (so `"1.5m"` CPU is 2 millicores).
public struct ResourceQuantity: Hashable, CustomStringConvertible, Sendable {
    public let text: String
    public let milliValue: Int64

    /// The amount in base units (bytes, cores), rounded up.
    public var value: Int64 {
        milliValue / 1000 + (milliValue % 1000 == 0 ? 0 : 1)
    }

    public var description: String { text }

    public init(_ text: String) throws {
        try self.init(text, at: "")
    }

    /// An exact count of base units (bytes), written without a suffix.
    public init(bytes: Int64) throws {
        try self.init(String(bytes))
    }

    init(_ text: String, at path: String) throws {
        func invalid(_ why: String) -> ValidationError {
            ValidationError(path: path, message: "\(quoted(text)) is not a valid quantity: \(why)")
        }
        let bytes = Array(text.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { throw invalid("must not be negative") }
        var mantissa: Int64 = 0
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                sawDigit = true
                let (times10, o1) = mantissa.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(byte - 0x30))
                guard !o1, !o2 else { throw invalid("too many digits") }
                mantissa = sum
                if sawPoint { fractionDigits += 1 }
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { throw invalid("expected a number") }
        let suffix = String(decoding: bytes[i...], as: UTF8.self)
        var power10 = 3 - fractionDigits // milli-units
        var binaryShift = 0
        switch suffix {
        case "": break
        case "n": power10 -= 9
        case "u": power10 -= 6
        case "m": power10 -= 3
        case "k", "K": power10 += 3
        case "M": power10 += 6
        case "G": power10 += 9
        case "T": power10 += 12
        case "P": power10 += 15
        case "E": power10 += 18
        case "Ki": binaryShift = 10
        case "Mi": binaryShift = 20
        case "Gi": binaryShift = 30
        case "Ti": binaryShift = 40
        case "Pi": binaryShift = 50
        case "Ei": binaryShift = 60
        default:
            guard let first = suffix.first, first == "e" || first == "E",
                  let exponent = Int(suffix.dropFirst()), (-30...30).contains(exponent),
                  suffix.dropFirst().allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) else {
                throw invalid("unknown suffix \(quoted(suffix))")
            }
            power10 += exponent
        }
        var value = mantissa
        if binaryShift > 0 {
            guard value == 0 || value.leadingZeroBitCount > binaryShift + 1 else { throw invalid("too large") }
            value <<= binaryShift
        }
        while power10 > 0 {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw invalid("too large") }
            value = product
            power10 -= 1
        }
        while power10 < 0 {
            let roundsUp = value % 10 != 0
            value = value / 10 + (roundsUp ? 1 : 0)
            power10 += 1
        }
        self.text = text
        self.milliValue = value
    }
}
