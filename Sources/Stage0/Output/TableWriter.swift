/// Aligns rows into columns separated by at least two spaces (like Go's tabwriter in rkt's listings).
enum TableWriter {
    static func render(_ rows: [[String]]) -> String {
        guard let columnCount = rows.map(\.count).max(), columnCount > 0 else { return "" }
        var widths = [Int](repeating: 0, count: columnCount)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var output = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            output += line + "\n"
        }
        return output
    }
}
