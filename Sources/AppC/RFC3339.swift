/// RFC 3339 `date-time` syntax check: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
enum RFC3339 {
    static func isValid(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for i in range {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        guard b.count >= 20, digits(0..<4) != nil, b[4] == UInt8(ascii: "-"), let month = digits(5..<7),
              b[7] == UInt8(ascii: "-"), let day = digits(8..<10), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = digits(11..<13), b[13] == UInt8(ascii: ":"), let minute = digits(14..<16),
              b[16] == UInt8(ascii: ":"), let second = digits(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start, i < b.count else { return false }
        }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), i + 6 == b.count,
              let offsetHour = digits(i + 1..<i + 3), b[i + 3] == UInt8(ascii: ":"),
              let offsetMinute = digits(i + 4..<i + 6) else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }
}
