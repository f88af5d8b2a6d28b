/// The shared grammar of AC names and identifiers: alphanumeric runs joined by single separators.
enum ACNameGrammar {
    static func matches(_ string: String, separators: Set<UInt8>) -> Bool {
        var previousWasSeparator = true // also rejects a leading separator and the empty string
        for byte in string.utf8 {
            if isLowerAlphanumeric(byte) {
                previousWasSeparator = false
            } else if separators.contains(byte) {
                if previousWasSeparator { return false }
                previousWasSeparator = true
            } else {
                return false
            }
        }
        return !previousWasSeparator
    }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
