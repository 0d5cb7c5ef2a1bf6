/// Colours a widget may ask for; `NO_COLOR` turns them all into `.default`.
public enum Color: Int, Sendable, CaseIterable {
  case `default` = 0
  case red, green, yellow, blue, magenta, cyan
}

/// How a run of text looks.
public struct Style: Equatable, Sendable {
  public var bold = false
  public var reverse = false
  public var underline = false
  public var dim = false
  public var color: Color = .default

  public init(
    bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false,
    color: Color = .default
  ) {
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
    self.color = color
  }

  public static let plain = Style()
  public static let bold = Style(bold: true)
  public static let reverse = Style(reverse: true)
  public static let dim = Style(dim: true)
  public static let error = Style(bold: true, color: .red)
}

/// A position on the screen.
public struct Size: Equatable, Sendable {
  public var rows: Int
  public var cols: Int
  public init(rows: Int, cols: Int) {
    self.rows = rows
    self.cols = cols
  }
}

/// Display width of text in terminal columns, independent of the C library's locale tables so
/// that layout is the same under every `LANG` and in tests.
public enum TextWidth {
  /// Columns taken by one Unicode scalar: 0 for combining marks, 2 for East Asian wide, else 1.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v == 0 { return 0 }
    if (0x300...0x36F).contains(v) || (0x483...0x489).contains(v) || (0x200B...0x200F).contains(v)
      || (0xFE00...0xFE0F).contains(v) || v == 0x20E3 || (0x1AB0...0x1AFF).contains(v)
      || (0x1DC0...0x1DFF).contains(v) || (0x20D0...0x20FF).contains(v)
    {
      return 0
    }
    if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v)
      || (0x3041...0x33FF).contains(v) || (0x3400...0x4DBF).contains(v)
      || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
      || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
      || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
      || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    {
      return 2
    }
    return 1
  }

  /// Columns of a grapheme cluster: the widest of its scalars.
  public static func of(_ ch: Character) -> Int {
    var w = 0
    for s in ch.unicodeScalars { w = max(w, of(s)) }
    return w
  }

  public static func of(_ s: String) -> Int {
    var w = 0
    for ch in s { w += of(ch) }
    return w
  }

  /// Replaces control characters so nothing typed or stored can reach the terminal as an
  /// escape sequence.
  public static func safe(_ ch: Character) -> Character {
    for s in ch.unicodeScalars where TextSanitizer.isUnsafe(s) { return "\u{FFFD}" }
    return ch
  }

  /// Cuts `s` to at most `width` columns, ending with `…` when it had to cut.
  public static func truncate(_ s: String, to width: Int) -> String {
    if width <= 0 { return "" }
    if of(s) <= width { return s }
    var out = ""
    var used = 0
    for ch in s {
      let w = of(ch)
      if used + w > width - 1 { break }
      out.append(ch)
      used += w
    }
    return out + "…"
  }

  /// Pads or cuts `s` to exactly `width` columns.
  public static func fit(_ s: String, to width: Int, alignRight: Bool = false) -> String {
    let t = truncate(s, to: width)
    let pad = String(repeating: " ", count: max(0, width - of(t)))
    return alignRight ? pad + t : t + pad
  }
}

/// One screen cell: a character (or the right half of a wide one) and its style.
public struct Cell: Equatable, Sendable {
  public var char: Character
  public var style: Style
  /// True for the second column of a double-width character.
  public var continuation: Bool

  public static let blank = Cell(char: " ", style: .plain, continuation: false)
}

/// A grid of cells that screens draw into; terminals present it.
public struct Canvas: Sendable {
  public private(set) var size: Size
  public private(set) var cells: [Cell]
  /// Where the text cursor should stand, if visible.
  public var cursor: (row: Int, col: Int)?

  public init(size: Size) {
    self.size = size
    cells = Array(repeating: .blank, count: max(0, size.rows * size.cols))
  }

  public mutating func clear() {
    for i in cells.indices { cells[i] = .blank }
    cursor = nil
  }

  public subscript(row: Int, col: Int) -> Cell {
    cells[row * size.cols + col]
  }

  /// Writes `text` at (row, col), clipped to the canvas and to `maxWidth` columns.
  /// Returns the column after the last character written.
  @discardableResult
  public mutating func put(
    _ row: Int, _ col: Int, _ text: String, _ style: Style = .plain, maxWidth: Int? = nil
  ) -> Int {
    guard row >= 0 && row < size.rows else { return col }
    let limit = min(size.cols, col + (maxWidth ?? size.cols))
    var c = col
    for raw in text {
      let ch = TextWidth.safe(raw)
      let w = TextWidth.of(ch)
      if w == 0 { continue }
      if c + w > limit { break }
      if c >= 0 {
        let i = row * size.cols + c
        if cells[i].continuation && c > 0 {
          cells[i - 1] = Cell(char: " ", style: style, continuation: false)
        }
        cells[i] = Cell(char: ch, style: style, continuation: false)
        if w == 2 { cells[i + 1] = Cell(char: " ", style: style, continuation: true) }
      }
      c += w
    }
    return c
  }

  /// A notice on a screen `width` columns wide: what an empty list or a missing record says,
  /// two columns in from either side.
  public mutating func notice(_ row: Int, _ text: String, width: Int, _ style: Style = .dim) {
    put(row, 2, text, style, maxWidth: width - 4)
  }

  /// A line one column in from either side of a screen `width` columns wide, at `row`, which
  /// then moves on to the next row.
  public mutating func line(_ row: inout Int, _ text: String, _ style: Style, width: Int) {
    put(row, 1, text, style, maxWidth: width - 2)
    row += 1
  }

  /// Fills a row segment with spaces in `style`.
  public mutating func fill(_ row: Int, _ col: Int, width: Int, _ style: Style) {
    guard row >= 0 && row < size.rows, col < size.cols, width > 0 else { return }
    for c in max(0, col)..<max(0, min(size.cols, col + width)) {
      cells[row * size.cols + c] = Cell(char: " ", style: style, continuation: false)
    }
  }

  /// The text of one row, as a person reads it (wide characters once, trailing spaces kept).
  public func line(_ row: Int) -> String {
    var s = ""
    for c in 0..<size.cols {
      let cell = self[row, c]
      if !cell.continuation { s.append(cell.char) }
    }
    return s
  }

  /// All rows, trailing spaces trimmed, joined by newlines.
  public var text: String {
    (0..<size.rows).map { line($0).replacingTrailingSpaces() }.joined(separator: "\n")
  }
}

extension String {
  func replacingTrailingSpaces() -> String {
    var s = Substring(self)
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
