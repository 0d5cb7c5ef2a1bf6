import TerminalUI

/// A scrolling body of report lines: the first line shown, and how many lines there were and
/// how many rows showed them at the last draw (the page and the end keys need both).
struct LineScroll {
  var top = 0
  var visible = 1
  var count = 0

  /// Draws the body into `rows` rows from `bodyTop`: the lines `lines` makes for the width
  /// left of the last column, from `top`, with ▲ / ▼ in that column when there is more above /
  /// below.
  mutating func draw(
    _ canvas: inout Canvas, bodyTop: Int, rows: Int, width: Int,
    lines: (_ width: Int) -> [ReportLine]
  ) {
    guard rows > 0 else { return }
    let content = width - 1
    let all = lines(content)
    for (i, line) in all[fit(count: all.count, visible: rows)].enumerated() {
      line.draw(&canvas, row: bodyTop + i, width: content)
    }
    if top > 0 { canvas.put(bodyTop, content, "▲", .dim) }
    if moreBelow { canvas.put(bodyTop + rows - 1, content, "▼", .dim) }
  }

  /// Keeps the window inside `count` lines shown in `visible` rows; returns the lines to show.
  mutating func fit(count: Int, visible: Int) -> Range<Int> {
    self.visible = visible
    self.count = count
    top = max(0, min(top, count - visible))
    return top..<min(count, top + visible)
  }

  /// True when lines follow below the window.
  var moreBelow: Bool { top + visible < count }

  /// Scrolls by a line, a page, to the top or to the end; false for any other action.
  mutating func move(_ action: Action?) -> Bool {
    switch action {
    case .down: top += 1
    case .up: top = max(0, top - 1)
    case .pageDown: top += visible
    case .pageUp: top = max(0, top - visible)
    case .top: top = 0
    case .bottom: top = max(0, count - visible)
    default: return false
    }
    return true
  }

  /// Scrolls as little as shows `line`.
  mutating func reveal(_ line: Int) {
    if line < top { top = line }
    if line >= top + visible { top = line - visible + 1 }
  }
}
