import Foundation

/// The human-readable forms `rkt image list` prints.
enum HumanFormat {
    /// `2.1MiB`, `512B`, as rkt prints sizes.
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes)B" }
        return String(format: value >= 10 ? "%.0f%@" : "%.1f%@", value, units[unit])
    }

    /// `3 minutes ago`, `1 day ago`, `just now`.
    static func relativeTime(nanoseconds: Int64, now: Date = Date()) -> String {
        let seconds = Int64(now.timeIntervalSince1970) - nanoseconds / 1_000_000_000
        if seconds < 2 { return "just now" }
        let steps: [(Int64, String)] = [(86400 * 365, "year"), (86400 * 30, "month"), (86400 * 7, "week"),
                                         (86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")]
        for (length, name) in steps where seconds >= length {
            let count = seconds / length
            return "\(count) \(name)\(count == 1 ? "" : "s") ago"
        }
        return "just now"
    }

    /// RFC 3339 with nanoseconds in UTC, for `--full`.
    static func timestamp(nanoseconds: Int64) -> String {
        let seconds = nanoseconds / 1_000_000_000
        let fraction = nanoseconds % 1_000_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, fraction)
    }
}
