import TerminalUI

/// A scrolling body of report lines: the first line shown, and how many lines there were and
/// how many rows showed them at the last draw (the page and the end keys need both).
struct LineScroll {
  var top = 0
  var visible = 1
  var count = 0

  /// Draws `lines` from `top` into `visible` rows from `bodyTop`, `content` columns wide, with
  /// ▲ / ▼ in the last column when there is more above / below.
  mutating func draw(
    _ canvas: inout Canvas, _ lines: [ReportLine], bodyTop: Int, visible: Int, content: Int
  ) {
    self.visible = visible
    count = lines.count
    top = max(0, min(top, lines.count - visible))
    for (i, line) in lines.dropFirst(top).prefix(visible).enumerated() {
      var c = 0
      for run in line.runs where c < content {
        c = canvas.put(bodyTop + i, c, run.text, run.style, maxWidth: content - c)
      }
    }
    if top > 0 { canvas.put(bodyTop, content, "▲", .dim) }
    if top + visible < lines.count { canvas.put(bodyTop + visible - 1, content, "▼", .dim) }
  }

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
