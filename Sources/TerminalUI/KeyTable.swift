/// One binding: the keys that trigger an action, its help text and whether the status bar shows it.
public struct KeyBinding<Action: Hashable & Sendable>: Sendable {
  public var keys: [Key]
  public var action: Action
  public var help: String
  public var hint: String?

  /// `hint` is the short word for the status bar; nil keeps the binding out of the bar.
  public init(_ keys: [Key], _ action: Action, help: String, hint: String? = nil) {
    self.keys = keys
    self.action = action
    self.help = help
    self.hint = hint
  }

  public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// The keys of one screen. The same table drives dispatch, the hint bar, `?` help and docs/keys.md.
public struct KeyTable<Action: Hashable & Sendable>: Sendable {
  public var title: String
  public var bindings: [KeyBinding<Action>]

  public init(title: String, _ bindings: [KeyBinding<Action>]) {
    self.title = title
    self.bindings = bindings
  }

  /// The action for a key; letters typed in the Russian ЙЦУКЕН layout count as the Latin key
  /// in the same place, so `о` works as `j` without switching layouts.
  public func action(for key: Key) -> Action? {
    if let b = bindings.first(where: { $0.keys.contains(key) }) { return b.action }
    let latin = KeyboardLayout.latin(key)
    if latin != key {
      return bindings.first(where: { $0.keys.contains(latin) })?.action
    }
    return nil
  }

  /// `(keys, word)` pairs for the status bar.
  public var hints: [(String, String)] {
    bindings.compactMap { b in b.hint.map { (b.keyLabel, $0) } }
  }

}

/// The Russian ЙЦУКЕН layout mapped to the Latin keys in the same places.
public enum KeyboardLayout {
  static let qwerty: [Character: Character] = {
    let ru = Array("йцукенгшщзфывапролджэячсмитьбюЙЦУКЕНГШЩЗФЫВАПРОЛДЖЭЯЧСМИТЬБЮ.,")
    let en = Array("qwertyuiopasdfghjkl;'zxcvbnm,.QWERTYUIOPASDFGHJKL:\"ZXCVBNM<>/?")
    var map: [Character: Character] = [:]
    for (r, e) in zip(ru, en) { map[r] = e }
    return map
  }()

  /// The Latin key at the same place as a Cyrillic one; other keys unchanged.
  public static func latin(_ key: Key) -> Key {
    if case .char(let c) = key, let l = qwerty[c] { return .char(l) }
    return key
  }
}

/// Draws the key hints on one row: `key word  key word …`, cut to the width.
public func drawHints(_ canvas: inout Canvas, row: Int, hints: [(String, String)], width: Int) {
  canvas.fill(row, 0, width: width, .reverse)
  var col = 0
  for (keys, word) in hints {
    let need = TextWidth.of(keys) + 1 + TextWidth.of(word) + 2
    if col + need > width { break }
    col = canvas.put(row, col, keys, Style(bold: true, reverse: true))
    col = canvas.put(row, col, " " + word + "  ", .reverse)
  }
}

/// Draws a box with a title and returns the inner rectangle origin and size.
@discardableResult
public func drawBox(
  _ canvas: inout Canvas, top: Int, left: Int, rows: Int, cols: Int, title: String
) -> (top: Int, left: Int, rows: Int, cols: Int) {
  for r in top..<(top + rows) { canvas.fill(r, left, width: cols, .plain) }
  canvas.put(top, left, "┌" + String(repeating: "─", count: max(0, cols - 2)) + "┐")
  for r in (top + 1)..<(top + rows - 1) {
    canvas.put(r, left, "│")
    canvas.put(r, left + cols - 1, "│")
  }
  canvas.put(top + rows - 1, left, "└" + String(repeating: "─", count: max(0, cols - 2)) + "┘")
  if !title.isEmpty {
    canvas.put(top, left + 2, " " + TextWidth.truncate(title, to: cols - 6) + " ", .bold)
  }
  return (top + 1, left + 2, rows - 2, cols - 4)
}

/// The `?` overlay: every binding of a table, keys left, help right. Nothing is cut: a help
/// text wider than its column wraps onto more lines, keys too many for their column go on as
/// many lines as they need, and a table taller than the window scrolls (`offset` is the first
/// line shown; `HelpLayout.clamp` keeps it in range).
public struct HelpLayout: Sendable {
  /// The lines of the help text, in order: keys (bold) and help, either may be empty.
  public var lines: [(keys: String, help: String)]
  /// The box on the screen.
  public var top: Int, left: Int, rows: Int, cols: Int
  /// Lines of help that fit in the box at once (one row is kept for the footer).
  public var visible: Int
  public var keyWidth: Int

  public init<A>(table: KeyTable<A>, size: Size) {
    cols = min(max(0, size.cols - 2), 76)
    let innerCols = max(1, cols - 4)
    let widest = table.bindings.map { TextWidth.of($0.keyLabel) }.max() ?? 0
    keyWidth = max(1, min(widest, 14, innerCols / 3))
    let helpWidth = max(1, innerCols - keyWidth - 2)
    var lines: [(keys: String, help: String)] = []
    for binding in table.bindings {
      let keys = HelpLayout.keyLines(binding.keys.map(\.label), width: keyWidth)
      let help = wrap(binding.help, width: helpWidth)
      for i in 0..<max(keys.count, help.count, 1) {
        lines.append((i < keys.count ? keys[i] : "", i < help.count ? help[i] : ""))
      }
    }
    self.lines = lines
    rows = max(0, min(size.rows - 2, lines.count + 3))
    visible = max(1, rows - 3)
    top = max(0, (size.rows - rows) / 2)
    left = max(0, (size.cols - cols) / 2)
  }

  /// The key labels joined with `/`, broken at a `/` where the column is too narrow.
  static func keyLines(_ labels: [String], width: Int) -> [String] {
    var out: [String] = []
    var current = ""
    for label in labels {
      let next = current.isEmpty ? label : current + "/" + label
      if TextWidth.of(next) <= width || current.isEmpty {
        current = next
      } else {
        out.append(current + "/")
        current = label
      }
    }
    if !current.isEmpty { out.append(current) }
    return out.flatMap { TextWidth.of($0) <= width ? [$0] : wrap($0, width: width) }
  }

  /// The last first line that still fills the box.
  public var maxOffset: Int { max(0, lines.count - visible) }
  /// True when the lines do not all fit: the footer then says how to scroll.
  public var scrolls: Bool { lines.count > visible }
  public func clamp(_ offset: Int) -> Int { min(max(0, offset), maxOffset) }

  /// The new first line after a key, or nil when the key closes the help: `j`/`k`/arrows scroll
  /// a line, PgDn/PgUp/Space/^F/^B a page, `g`/`G`/Home/End to the ends; any other key closes.
  public func scrolled(_ offset: Int, by key: Key) -> Int? {
    switch KeyboardLayout.latin(key) {
    case .char("j"), .down: return clamp(offset + 1)
    case .char("k"), .up: return clamp(offset - 1)
    case .pageDown, .ctrl("f"), .char(" "): return clamp(offset + max(1, visible - 1))
    case .pageUp, .ctrl("b"): return clamp(offset - max(1, visible - 1))
    case .char("g"), .home: return 0
    case .char("G"), .end: return maxOffset
    case .resize: return clamp(offset)
    default: return nil
    }
  }
}

/// Draws the `?` overlay from `offset`; `footer(first, last, total)` is the dim last line
/// (`first`…`last` are 1-based line numbers of what is shown).
public func drawHelp<A>(
  _ canvas: inout Canvas, table: KeyTable<A>, offset: Int = 0,
  footer: (_ first: Int, _ last: Int, _ total: Int) -> String
) {
  let layout = HelpLayout(table: table, size: canvas.size)
  guard layout.rows >= 3, layout.cols >= 6 else { return }
  let inner = drawBox(
    &canvas, top: layout.top, left: layout.left, rows: layout.rows, cols: layout.cols,
    title: table.title)
  let first = layout.clamp(offset)
  let shown = layout.lines[first..<min(layout.lines.count, first + layout.visible)]
  for (i, line) in shown.enumerated() {
    canvas.put(inner.top + i, inner.left, line.keys, .bold, maxWidth: layout.keyWidth)
    canvas.put(
      inner.top + i, inner.left + layout.keyWidth + 2, line.help,
      maxWidth: inner.cols - layout.keyWidth - 2)
  }
  if layout.scrolls {
    if first > 0 { canvas.put(inner.top, layout.left + layout.cols - 1, "▲", .dim) }
    if first < layout.maxOffset {
      canvas.put(inner.top + layout.visible - 1, layout.left + layout.cols - 1, "▼", .dim)
    }
  }
  let text = footer(first + 1, first + shown.count, layout.lines.count)
  canvas.put(inner.top + inner.rows - 1, inner.left, text, .dim, maxWidth: inner.cols)
}

/// A centered yes/no question.
public func drawConfirm(_ canvas: inout Canvas, title: String, message: String, keys: String) {
  let size = canvas.size
  let width = min(
    size.cols - 4, max(TextWidth.of(message), TextWidth.of(keys), TextWidth.of(title)) + 6)
  // A long question wraps at spaces inside the box (never cut mid-sentence); only what does
  // not fit in the window's rows is cut, with «…».
  var lines = message.split(separator: "\n", omittingEmptySubsequences: false)
    .flatMap { wrap(String($0), width: max(1, width - 4)) }
  let room = max(1, size.rows - 6)
  if lines.count > room {
    lines = Array(lines.prefix(room))
    lines[room - 1] = TextWidth.truncate(lines[room - 1] + " …", to: max(1, width - 4))
  }
  let top = max(0, size.rows / 2 - 3 - (lines.count - 1) / 2)
  let left = max(0, (size.cols - width) / 2)
  let inner = drawBox(
    &canvas, top: top, left: left, rows: lines.count + 4, cols: width, title: title)
  for (i, line) in lines.enumerated() {
    canvas.put(inner.top + i, inner.left, line, maxWidth: inner.cols)
  }
  canvas.put(inner.top + lines.count + 1, inner.left, keys, .bold, maxWidth: inner.cols)
}

/// The notice shown instead of a layout that cannot fit. Lines wider than the window are
/// wrapped at spaces (a 20×10 window still shows the whole notice); whatever does not fit in
/// the rows is cut, down to a 1×1 window.
public func drawTooSmall(_ canvas: inout Canvas, lines: [String]) {
  let size = canvas.size
  guard size.rows > 0 && size.cols > 0 else { return }
  var wrapped: [(text: String, bold: Bool)] = []
  for (i, line) in lines.enumerated() {
    for part in wrap(line, width: size.cols) { wrapped.append((part, i == 0)) }
  }
  let top = max(0, (size.rows - wrapped.count) / 2)
  for (i, line) in wrapped.enumerated() where top + i < size.rows {
    let w = TextWidth.of(line.text)
    canvas.put(
      top + i, max(0, (size.cols - w) / 2), line.text, line.bold ? .bold : .plain,
      maxWidth: size.cols)
  }
}

/// Splits `text` into lines of at most `width` columns, at spaces where possible (a word longer
/// than a line is cut).
public func wrap(_ text: String, width: Int) -> [String] {
  guard width > 0 else { return [] }
  var lines: [String] = []
  var current = ""
  for word in text.split(separator: " ") {
    var word = String(word)
    while TextWidth.of(word) > width {
      if !current.isEmpty {
        lines.append(current)
        current = ""
      }
      var taken = ""
      var used = 0
      for ch in word {
        let w = TextWidth.of(ch)
        if used + w > width && !taken.isEmpty { break }
        taken.append(ch)
        used += w
      }
      lines.append(taken)
      word = String(word.dropFirst(taken.count))
    }
    if current.isEmpty {
      current = word
    } else if TextWidth.of(current) + 1 + TextWidth.of(word) <= width {
      current += " " + word
    } else {
      lines.append(current)
      current = word
    }
  }
  if !current.isEmpty { lines.append(current) }
  return lines
}
