import CNCurses
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// The real terminal, through ncursesw. Create one, run the app, then call `end()`.
@MainActor
public final class NCursesTerminal: Terminal {
  public private(set) var colorsEnabled: Bool
  private var ended = false

  /// Sets the locale (falling back to `C.UTF-8` when the user's is not installed, so Cyrillic
  /// still takes one column), starts curses and configures input.
  public init(noColor: Bool) throws(TerminalError) {
    if setlocale(LC_ALL, "") == nil || !Self.localeIsUTF8() {
      _ = setlocale(LC_ALL, "C.UTF-8")
    }
    if isatty(0) == 0 || isatty(1) == 0 {
      throw .notATerminal
    }
    // A parent may start us with SIGWINCH blocked (test runners and some launchers do, and the
    // mask is inherited through tmux); then resizes would never reach ncurses.
    var winch = sigset_t()
    sigemptyset(&winch)
    sigaddset(&winch, SIGWINCH)
    sigprocmask(SIG_UNBLOCK, &winch, nil)
    guard initscr() != nil else { throw .cannotStart }
    raw()  // not cbreak: ^S must reach us (save), not freeze the tty as XOFF; ^C quits cleanly
    noecho()
    nonl()
    _ = keypad(crm_stdscr(), true)
    set_escdelay(25)
    _ = curs_set(0)
    colorsEnabled = false
    if !noColor && has_colors() {
      start_color()
      use_default_colors()
      let colors: [Int16] = [
        Int16(COLOR_RED), Int16(COLOR_GREEN), Int16(COLOR_YELLOW), Int16(COLOR_BLUE),
        Int16(COLOR_MAGENTA), Int16(COLOR_CYAN),
      ]
      for (i, c) in colors.enumerated() { init_pair(Int16(i + 1), c, -1) }
      colorsEnabled = true
    }
  }

  static func localeIsUTF8() -> Bool {
    guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
    let name = String(cString: codeset).uppercased()
    return name == "UTF-8" || name == "UTF8"
  }

  public var size: Size { Size(rows: Int(crm_lines()), cols: Int(crm_cols())) }

  public func present(_ canvas: Canvas) {
    let rows = min(canvas.size.rows, size.rows)
    let cols = min(canvas.size.cols, size.cols)
    var buffer: [wchar_t] = []
    buffer.reserveCapacity(cols * 2)
    for r in 0..<rows {
      var c = 0
      while c < cols {
        let style = canvas[r, c].style
        let start = c
        buffer.removeAll(keepingCapacity: true)
        while c < cols && canvas[r, c].style == style {
          let cell = canvas[r, c]
          if !cell.continuation {
            for s in cell.char.unicodeScalars { buffer.append(wchar_t(bitPattern: s.value)) }
          }
          c += 1
        }
        buffer.append(0)
        _ = crm_put(
          Int32(r), Int32(start), buffer, Int32(buffer.count - 1), attrs(style), pair(style))
      }
    }
    if let cursor = canvas.cursor {
      _ = curs_set(1)
      wmove(crm_stdscr(), Int32(cursor.row), Int32(cursor.col))
    } else {
      _ = curs_set(0)
    }
    wrefresh(crm_stdscr())
  }

  func attrs(_ s: Style) -> attr_t {
    var a = crm_a_normal()
    if s.bold { a |= crm_a_bold() }
    if s.reverse { a |= crm_a_reverse() }
    if s.underline { a |= crm_a_underline() }
    if s.dim { a |= crm_a_dim() }
    return a
  }

  func pair(_ s: Style) -> Int16 {
    colorsEnabled ? Int16(s.color.rawValue) : 0
  }

  public func readKey() -> Key? {
    wtimeout(crm_stdscr(), -1)
    while true {
      var ch: UInt32 = 0
      let rc = crm_get_wch(&ch)
      if rc == ERR { return nil }
      if rc == KEY_CODE_YES {
        if let k = Self.functionKey(Int32(ch)) { return k }
        continue
      }
      return Self.characterKey(ch)
    }
  }

  /// `ERR` from a timed read means either "no key yet" or "input is gone" (the terminal closed):
  /// a read that fails well before its time, several times in a row, is the latter.
  private var quickFailures = 0

  public func readKey(milliseconds: Int) -> KeyRead {
    wtimeout(crm_stdscr(), Int32(milliseconds))
    defer { wtimeout(crm_stdscr(), -1) }
    while true {
      var ch: UInt32 = 0
      let start = DispatchTime.now().uptimeNanoseconds
      let rc = crm_get_wch(&ch)
      if rc == ERR {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        if elapsed < Double(milliseconds) / 2 {
          quickFailures += 1
          if quickFailures >= 3 { return .end }
          continue
        }
        quickFailures = 0
        return .timeout
      }
      quickFailures = 0
      if rc == KEY_CODE_YES {
        if let k = Self.functionKey(Int32(ch)) { return .key(k) }
        continue
      }
      if let k = Self.characterKey(ch) { return .key(k) }
    }
  }

  /// Rings the terminal bell.
  public func bell() { _ = beep() }

  nonisolated static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_ENTER: return .enter
    case KEY_BTAB: return .backTab
    case crm_key_resize(): return .resize
    case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
    default: return nil
    }
  }

  /// Decodes a character from `get_wch`: Enter, Tab, Esc, Backspace and Ctrl-letters by code.
  nonisolated public static func characterKey(_ ch: UInt32) -> Key? {
    switch ch {
    case 10, 13: return .enter
    case 9: return .tab
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26: return .ctrl(Character(Unicode.Scalar(ch + 96)!))
    default:
      guard let scalar = Unicode.Scalar(ch) else { return nil }
      return .char(Character(scalar))
    }
  }

  /// Restores the terminal. Safe to call twice.
  public func end() {
    if ended { return }
    ended = true
    endwin()
  }

  /// Columns the C library gives a character under the current locale (for diagnostics and
  /// for checking `TextWidth` against `wcwidth`).
  nonisolated public static func systemWidth(_ scalar: Unicode.Scalar) -> Int {
    Int(crm_wcwidth(scalar.value))
  }
}

/// Why the terminal could not be used.
public enum TerminalError: Error, Sendable {
  case notATerminal
  case cannotStart
}
