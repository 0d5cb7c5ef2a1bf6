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

/// The `?` overlay: every binding of a table, keys left, help right.
public func drawHelp<A>(_ canvas: inout Canvas, table: KeyTable<A>, footer: String) {
  let size = canvas.size
  let lines = table.bindings.map { ($0.keyLabel, $0.help) }
  let keyWidth = min(20, (lines.map { TextWidth.of($0.0) }.max() ?? 0))
  let rows = min(size.rows - 2, lines.count + 4)
  let cols = min(size.cols - 4, 70)
  let top = max(0, (size.rows - rows) / 2)
  let left = max(0, (size.cols - cols) / 2)
  let inner = drawBox(&canvas, top: top, left: left, rows: rows, cols: cols, title: table.title)
  for (i, line) in lines.prefix(inner.rows - 1).enumerated() {
    canvas.put(inner.top + i, inner.left, TextWidth.fit(line.0, to: keyWidth), .bold)
    canvas.put(
      inner.top + i, inner.left + keyWidth + 2, line.1, maxWidth: inner.cols - keyWidth - 2)
  }
  canvas.put(inner.top + inner.rows - 1, inner.left, footer, .dim, maxWidth: inner.cols)
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
