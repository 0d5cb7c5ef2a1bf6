/// Text charts: horizontal bars in eighths of a column and sparklines.
public enum Charts {
  static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
  static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// A bar `value / maximum` of `width` columns, in eighths (`███▌`); empty for zero; any value
  /// above zero shows at least `▏`.
  public static func bar(_ value: Double, maximum: Double, width: Int) -> String {
    guard value > 0, maximum > 0, width > 0 else { return "" }
    let eighthsTotal = max(1, Int((min(value, maximum) / maximum * Double(width * 8)).rounded()))
    let full = eighthsTotal / 8
    let rest = eighthsTotal % 8
    var s = String(repeating: "█", count: full)
    if rest > 0 { s.append(eighths[rest - 1]) }
    return s
  }

  /// One character per value, `▁` (zero or the least) to `█` (the most); all zero: all `▁`.
  public static func sparkline(_ values: [Double]) -> String {
    let top = values.max() ?? 0
    guard top > 0 else { return String(repeating: "▁", count: values.count) }
    return String(
      values.map { v -> Character in
        let i = Int((max(0, v) / top * 7).rounded())
        return levels[min(7, max(0, i))]
      })
  }
}
