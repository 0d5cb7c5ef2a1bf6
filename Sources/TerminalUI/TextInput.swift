/// A one-line text editor: cursor movement, editing keys, wide characters, horizontal scroll.
public struct TextInput: Equatable, Sendable {
  public private(set) var chars: [Character]
  public private(set) var cursor: Int
  private var scroll = 0

  public init(_ text: String = "") {
    chars = Array(text)
    cursor = chars.count
  }

  public var text: String {
    get { String(chars) }
    set {
      chars = Array(newValue)
      cursor = chars.count
      scroll = 0
    }
  }

  /// Applies an editing key; returns true when the key was used (text or cursor changed).
  public mutating func handle(_ key: Key) -> Bool {
    switch key {
    case .char(let c):
      // A control character (a stray byte of an escape sequence) is never text.
      guard !TextSanitizer.isControl(c) else { return false }
      chars.insert(c, at: cursor)
      cursor += 1
    case .paste(let pasted):
      let clean = Array(TextSanitizer.clean(pasted))
      chars.insert(contentsOf: clean, at: cursor)
      cursor += clean.count
    case .left, .ctrl("b"): cursor = max(0, cursor - 1)
    case .right, .ctrl("f"): cursor = min(chars.count, cursor + 1)
    case .home, .ctrl("a"): cursor = 0
    case .end, .ctrl("e"): cursor = chars.count
    case .backspace, .ctrl("h"):
      guard cursor > 0 else { return true }
      chars.remove(at: cursor - 1)
      cursor -= 1
    case .delete, .ctrl("d"):
      guard cursor < chars.count else { return true }
      chars.remove(at: cursor)
    case .ctrl("u"):
      chars.removeSubrange(0..<cursor)
      cursor = 0
    case .ctrl("k"):
      chars.removeSubrange(cursor..<chars.count)
    case .ctrl("w"):
      var start = cursor
      while start > 0 && chars[start - 1] == " " { start -= 1 }
      while start > 0 && chars[start - 1] != " " { start -= 1 }
      chars.removeSubrange(start..<cursor)
      cursor = start
    default:
      return false
    }
    return true
  }

  /// Draws the visible part at (row, col) within `width` columns; places the cursor when focused.
  public mutating func draw(
    _ canvas: inout Canvas, row: Int, col: Int, width: Int, style: Style, focused: Bool
  ) {
    guard width > 0 else { return }
    canvas.fill(row, col, width: width, style)
    // Keep the cursor inside the window, measuring in columns.
    if cursor < scroll { scroll = cursor }
    while TextWidth.of(String(chars[scroll..<cursor])) > width - 1 { scroll += 1 }
    var c = col
    var i = scroll
    while i < chars.count {
      let w = TextWidth.of(TextWidth.safe(chars[i]))
      if c + w > col + width { break }
      c = canvas.put(row, c, String(chars[i]), style)
      i += 1
    }
    if focused {
      canvas.cursor = (row, col + TextWidth.of(String(chars[scroll..<cursor])))
    }
  }
}

/// One labelled field of a form with its validation message.
public struct FormField: Sendable {
  public var key: String
  public var label: String
  public var input: TextInput
  public var error: String?
  public var note: String?

  public init(key: String, label: String, value: String = "", note: String? = nil) {
    self.key = key
    self.label = label
    self.input = TextInput(value)
    self.note = note
  }
}

/// What a key did to a form.
public enum FormEvent: Equatable, Sendable {
  case none
  case submit
  case cancel
}

/// Labelled fields, one per line, with per-field messages. Tab/↓ next, S-Tab/↑ previous,
/// Enter next (saves on the last), ^S or F2 saves, Esc cancels.
public struct Form: Sendable {
  public var title: String
  public var fields: [FormField]
  public var focus = 0
  private var scroll = 0

  public init(title: String, fields: [FormField]) {
    self.title = title
    self.fields = fields
  }

  public func value(_ key: String) -> String {
    fields.first { $0.key == key }?.input.text ?? ""
  }

  public mutating func setError(_ key: String?, _ message: String?) {
    for i in fields.indices { fields[i].error = nil }
    if let key, let i = fields.firstIndex(where: { $0.key == key }) {
      fields[i].error = message
      focus = i
    }
  }

  public mutating func handle(_ key: Key) -> FormEvent {
    switch key {
    case .escape: return .cancel
    case .ctrl("s"), .function(2): return .submit
    case .tab, .down: focus = (focus + 1) % fields.count
    case .backTab, .up: focus = (focus + fields.count - 1) % fields.count
    case .enter:
      if focus == fields.count - 1 { return .submit }
      focus += 1
    default:
      _ = fields[focus].input.handle(key)
    }
    return .none
  }

  /// Draws the form in rows `top ..< top + rows`; fields scroll to keep the focused one visible.
  /// A field's note (shown while it is focused) or error goes beside its input; the inputs
  /// narrow (down to 24 columns) to make room for the longest, and a message that still does
  /// not fit is written whole on the last rows of the form instead, never cut.
  public mutating func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    canvas.put(top, 1, title, .bold, maxWidth: width - 2)
    let labelWidth = min(22, (fields.map { TextWidth.of($0.label) }.max() ?? 0) + 1)
    let inputCol = 2 + labelWidth
    let widest = max(10, min(50, width - inputCol - 2))
    let longest = fields.map { TextWidth.of($0.error ?? $0.note ?? "") }.max() ?? 0
    let inputWidth = max(min(widest, 24), min(widest, width - inputCol - 2 - longest))
    let msgCol = inputCol + inputWidth + 1
    let room = max(0, width - msgCol)
    // The message of the focused field (or the first error) that does not fit beside it.
    let shownField =
      fields.indices.contains(focus) && (fields[focus].error ?? fields[focus].note) != nil
      ? focus : fields.firstIndex { $0.error != nil }
    var below: [String] = []
    if let i = shownField, let message = fields[i].error ?? fields[i].note,
      TextWidth.of(message) > room
    {
      below = wrap(message, width: max(1, width - 2))
      if below.count > max(0, rows - 3) { below = Array(below.prefix(max(0, rows - 3))) }
    }
    let capacity = max(1, rows - 2 - (below.isEmpty ? 0 : below.count + 1))
    if focus < scroll { scroll = focus }
    if focus >= scroll + capacity { scroll = focus - capacity + 1 }
    var r = top + 2
    for i in scroll..<fields.count {
      if r >= top + 2 + capacity { break }
      let f = fields[i]
      let focused = i == focus
      canvas.put(r, 1, TextWidth.fit(f.label, to: labelWidth), focused ? .bold : .plain)
      fields[i].input.draw(
        &canvas, row: r, col: inputCol, width: inputWidth,
        style: Style(reverse: focused, underline: true), focused: focused)
      if let e = f.error {
        if TextWidth.of(e) <= room {
          canvas.put(r, msgCol, e, .error, maxWidth: room)
        } else {
          canvas.put(r, msgCol, "↓", .error)
        }
      } else if let n = f.note, focused {
        if TextWidth.of(n) <= room {
          canvas.put(r, msgCol, n, .dim, maxWidth: room)
        } else {
          canvas.put(r, msgCol, "↓", .dim)
        }
      }
      r += 1
    }
    if let i = shownField {
      let style: Style = fields[i].error != nil ? .error : .dim
      let first = top + rows - below.count
      for (n, line) in below.enumerated() {
        canvas.put(first + n, 1, line, style, maxWidth: width - 2)
      }
    }
    // A long error may not fit beside its field; repeat it in full under the form.
    if below.isEmpty, let e = fields.first(where: { $0.error != nil })?.error, top + rows - 1 > r {
      canvas.put(top + rows - 1, 1, e, .error, maxWidth: width - 2)
    }
  }
}

/// Keeps control characters and escape sequences out of typed and pasted text, and out of
/// everything shown: the screens (`TextWidth.safe`) and the CLI's output (`display`) use the
/// same test.
public enum TextSanitizer {
  /// What must never reach a terminal from someone's text: C0 and C1 controls, DEL, the line and
  /// paragraph separators, and the bidirectional controls (U+061C, U+200E/F, U+202A–E,
  /// U+2066–9) that reorder what follows them, so «ООО Альфа‮ат» can be shown as another
  /// name. Stored text keeps them as typed; only the display neutralises them.
  @inlinable
  public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
    if v < 0x61C { return false }
    return v == 0x61C || v == 0x200E || v == 0x200F || v == 0x2028 || v == 0x2029
      || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
  }

  /// Text for a terminal line by line: every unsafe character becomes U+FFFD (visible, one
  /// column), except the line breaks (LF, CRLF) and tabs that lay the output out.
  public static func display(_ text: String) -> String {
    // Most output has none: one pass over the bytes decides (C0 and DEL are single bytes, C1
    // starts with 0xC2, U+061C with 0xD8, the others with 0xE2).
    let suspect = text.utf8.contains { b in
      (b < 0x20 && b != 0x0A && b != 0x09) || b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2
    }
    guard suspect else { return text }
    var out = String.UnicodeScalarView()
    let scalars = Array(text.unicodeScalars)
    for (i, s) in scalars.enumerated() {
      // A carriage return only as part of CRLF (CSV lines); alone it would overwrite the line.
      let layout =
        s == "\n" || s == "\t" || (s == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n")
      out.append(isUnsafe(s) && !layout ? "\u{FFFD}" : s)
    }
    return String(out)
  }

  /// True for C0 and C1 control characters, DEL, and a character built on one (`\r\n`).
  public static func isControl(_ c: Character) -> Bool {
    c.unicodeScalars.contains { s in s.value < 0x20 || (0x7F...0x9F).contains(s.value) }
  }

  /// Pasted text made safe for a one-line field: escape sequences removed whole, line breaks
  /// and tabs become spaces, every other control character is dropped.
  public static func clean(_ text: String) -> String {
    var out = ""
    var scalars = Array(text.unicodeScalars)[...]
    while let s = scalars.first {
      scalars = scalars.dropFirst()
      switch s.value {
      case 0x1B:
        // ESC [ params final, ESC O x, or ESC x: drop the whole sequence.
        guard let next = scalars.first else { continue }
        scalars = scalars.dropFirst()
        if next == "[" {
          while let p = scalars.first {
            scalars = scalars.dropFirst()
            if (0x40...0x7E).contains(p.value) { break }
          }
        } else if next == "O" || next == "]" {
          if next == "]" {
            // An OSC string runs to BEL or ESC \.
            while let p = scalars.first {
              scalars = scalars.dropFirst()
              if p.value == 7 { break }
              if p.value == 0x1B {
                if scalars.first == "\\" { scalars = scalars.dropFirst() }
                break
              }
            }
          } else if !scalars.isEmpty {
            scalars = scalars.dropFirst()
          }
        }
      case 0x9B:
        while let p = scalars.first {
          scalars = scalars.dropFirst()
          if (0x40...0x7E).contains(p.value) { break }
        }
      case 9, 10, 13:
        if !out.hasSuffix(" ") { out.unicodeScalars.append(" ") }
      case 0..<0x20, 0x7F...0x9F:
        continue
      default:
        out.unicodeScalars.append(s)
      }
    }
    return out
  }
}
