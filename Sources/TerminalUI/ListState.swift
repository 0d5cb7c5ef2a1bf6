/// Selection and scroll position of a list whose rows live elsewhere (in SQL). Only the count is
/// known up front; the screen fetches the visible window `top ..< top + visible`.
public struct ListState: Equatable, Sendable {
  public var count: Int = 0
  public var selected: Int = 0
  public var top: Int = 0
  public var visible: Int = 1

  public init(count: Int = 0) { self.count = count }

  /// Keeps the selection inside the list and on screen.
  public mutating func clamp() {
    visible = max(1, visible)
    selected = count == 0 ? 0 : min(max(0, selected), count - 1)
    if selected < top { top = selected }
    if selected >= top + visible { top = selected - visible + 1 }
    top = max(0, min(top, max(0, count - visible)))
  }

  /// Applies a movement key; returns false for keys that are not movement.
  public mutating func move(_ key: Key) -> Bool {
    let key = KeyboardLayout.latin(key)
    switch key {
    case .down, .char("j"): selected += 1
    case .up, .char("k"): selected -= 1
    case .pageDown, .ctrl("f"): selected += visible
    case .pageUp, .ctrl("b"): selected -= visible
    case .home, .char("g"): selected = 0
    case .end, .char("G"): selected = count - 1
    default: return false
    }
    if key == .pageDown || key == .ctrl("f") { top += visible }
    if key == .pageUp || key == .ctrl("b") { top -= visible }
    clamp()
    return true
  }
}

/// A table column: title, width in columns (0 = takes the rest), alignment.
public struct Column: Sendable {
  public var title: String
  public var width: Int
  public var alignRight: Bool
  public init(_ title: String, width: Int, alignRight: Bool = false) {
    self.title = title
    self.width = width
    self.alignRight = alignRight
  }
}

/// Lays out columns across `total` columns: fixed widths first, the flexible one (width 0) takes
/// the rest; while it would get fewer than `minFlex` columns, fixed columns are dropped from the
/// right (their width becomes 0).
public func layoutColumns(_ columns: [Column], total: Int, minFlex: Int = 24) -> [Int] {
  var widths = columns.map(\.width)
  func flex() -> Int {
    let shown = widths.enumerated().filter { $0.element > 0 || columns[$0.offset].width == 0 }
    return total - widths.reduce(0, +) - max(0, shown.count - 1)
  }
  var i = widths.count - 1
  while flex() < minFlex && i > 0 {
    if columns[i].width != 0 { widths[i] = 0 }
    i -= 1
  }
  if let f = columns.firstIndex(where: { $0.width == 0 }) { widths[f] = max(1, flex()) }
  return widths
}

/// Draws a header and rows of cells in columns; the selected row is reversed.
public func drawTable(
  _ canvas: inout Canvas, top: Int, rows: Int, width: Int, columns: [Column], header: Bool = true,
  cells: [[String]], firstIndex: Int, selected: Int?, rowStyle: (Int) -> Style = { _ in .plain }
) {
  let widths = layoutColumns(columns, total: width)
  var r = top
  if header {
    var col = 0
    canvas.fill(r, 0, width: width, .bold)
    for (i, c) in columns.enumerated() where widths[i] > 0 {
      canvas.put(r, col, TextWidth.fit(c.title, to: widths[i], alignRight: c.alignRight), .bold)
      col += widths[i] + 1
    }
    r += 1
  }
  for (n, row) in cells.enumerated() {
    if r >= top + rows { break }
    let index = firstIndex + n
    var style = rowStyle(index)
    if index == selected { style.reverse = true }
    canvas.fill(r, 0, width: width, style)
    var col = 0
    for (i, c) in columns.enumerated() where widths[i] > 0 && i < row.count {
      canvas.put(r, col, TextWidth.fit(row[i], to: widths[i], alignRight: c.alignRight), style)
      col += widths[i] + 1
    }
    r += 1
  }
}
