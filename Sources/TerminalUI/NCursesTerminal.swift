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

  /// True when the user's locale does not use UTF-8 (as `nl_langinfo(CODESET)` says after
  /// `setlocale`): the app warns that Cyrillic may not display. Characters are still handled
  /// through `C.UTF-8` when that exists, so wide characters never reach ncurses unconverted.
  public private(set) var localeNotUTF8 = false

  /// Checks, before ncurses touches the terminal, that a full-screen interface can run here:
  /// standard input and output are terminals and `TERM` names a real one. Returns the reason
  /// when not (nil: fine).
  nonisolated public static func unsupportedReason(
    environment: [String: String], stdinIsTTY: Bool, stdoutIsTTY: Bool
  ) -> TerminalError? {
    let term = environment["TERM"] ?? ""
    if term.isEmpty { return .unsupportedTerminal("TERM is not set") }
    if term == "dumb" { return .unsupportedTerminal("TERM is dumb") }
    if !stdinIsTTY || !stdoutIsTTY { return .notATerminal }
    return nil
  }

  /// Sets the locale (falling back to `C.UTF-8` when the user's is not installed, so Cyrillic
  /// still takes one column), starts curses and configures input.
  public init(noColor: Bool, environment: [String: String] = [:]) throws(TerminalError) {
    var env = environment
    if env.isEmpty {
      if let t = getenv("TERM") { env["TERM"] = String(cString: t) }
    }
    if let reason = Self.unsupportedReason(
      environment: env, stdinIsTTY: isatty(0) != 0, stdoutIsTTY: isatty(1) != 0)
    {
      throw reason
    }
    let userLocale = setlocale(LC_ALL, "")
    if userLocale == nil || !Self.localeIsUTF8() {
      localeNotUTF8 = userLocale != nil || !Self.localeNameSaysUTF8()
      _ = setlocale(LC_ALL, "C.UTF-8")
    }
    // A parent may start us with SIGWINCH blocked (test runners and some launchers do, and the
    // mask is inherited through tmux); then resizes would never reach ncurses.
    var winch = sigset_t()
    sigemptyset(&winch)
    sigaddset(&winch, SIGWINCH)
    sigprocmask(SIG_UNBLOCK, &winch, nil)
    // Before ncurses: it then keeps our SIGINT/SIGTERM handlers instead of installing its own.
    crm_install_signal_handlers()
    // newterm, not initscr: initscr exits the program on an unknown TERM.
    guard crm_start_screen() != 0 else {
      throw .unsupportedTerminal("TERM=\(env["TERM"] ?? "") is not known to ncurses")
    }
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
    // Bracketed paste: the terminal marks pasted text, which then arrives as one `.paste`.
    crm_bracketed_paste(1)
  }

  /// A locale the user asked for that names UTF-8 but is not installed (ru_RU.UTF-8 in a bare
  /// container) is not a "non-UTF-8 locale": C.UTF-8 then does the same job.
  nonisolated static func localeNameSaysUTF8() -> Bool {
    var name = ""
    for variable in ["LC_ALL", "LC_CTYPE", "LANG"] {
      if let value = getenv(variable), value.pointee != 0 {
        name = String(cString: value)
        break
      }
    }
    let upper = name.uppercased()
    return upper.contains("UTF-8") || upper.contains("UTF8")
  }

  /// The signal (SIGINT, SIGTERM, SIGHUP) that ended the key loop, or nil.
  public var caughtSignal: Int32? {
    let s = crm_caught_signal()
    return s == 0 ? nil : s
  }

  static func localeIsUTF8() -> Bool {
    guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
    let name = String(cString: codeset).uppercased()
    return name == "UTF-8" || name == "UTF8"
  }

  public var size: Size { Size(rows: Int(crm_lines()), cols: Int(crm_cols())) }

  /// Set by a resize: the next frame is drawn in full instead of as a difference. Resizes that
  /// arrive together reach ncurses as one, possibly back at the size it last drew at, so its
  /// idea of the screen can be stale while the terminal shows what the resizes left (seen: the
  /// tab row still 20 columns wide after a storm under load).
  private var repaintAll = false

  public func present(_ canvas: Canvas) {
    if repaintAll {
      clearok(crm_stdscr(), true)
      repaintAll = false
    }
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

  public func flushInput() {
    pending = nil
    flushinp()
  }

  public func readKey() -> Key? {
    if let k = pending {
      pending = nil
      return k
    }
    while true {
      if crm_caught_signal() != 0 { return nil }
      var ch: UInt32 = 0
      wtimeout(crm_stdscr(), -1)
      let rc = crm_get_wch(&ch)
      if rc == ERR { return nil }
      if let k = decode(rc, ch) {
        if k == .resize { repaintAll = true }
        return k
      }
    }
  }

  /// `ERR` from a timed read means either "no key yet" or "input is gone" (the terminal closed):
  /// a read that fails well before its time, several times in a row, is the latter.
  private var quickFailures = 0
  /// A key read while looking for an escape sequence that turned out to be a key of its own.
  private var pending: Key?

  public func readKey(milliseconds: Int) -> KeyRead {
    defer { wtimeout(crm_stdscr(), -1) }
    if let k = pending {
      pending = nil
      return .key(k)
    }
    while true {
      // SIGINT, SIGTERM or SIGHUP: end the loop like the end of input; the caller restores the
      // terminal and exits with 128 + the signal.
      if crm_caught_signal() != 0 { return .end }
      var ch: UInt32 = 0
      wtimeout(crm_stdscr(), Int32(milliseconds))
      let start = DispatchTime.now().uptimeNanoseconds
      let rc = crm_get_wch(&ch)
      if rc == ERR {
        if crm_caught_signal() != 0 { return .end }
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
      if let k = decode(rc, ch) {
        if k == .resize { repaintAll = true }
        return .key(k)
      }
    }
  }

  /// One more byte of a sequence already under way: they arrive together, so a short wait.
  private func next(milliseconds: Int32 = 30) -> (rc: Int32, ch: UInt32)? {
    var ch: UInt32 = 0
    wtimeout(crm_stdscr(), milliseconds)
    let rc = crm_get_wch(&ch)
    return rc == ERR ? nil : (rc, ch)
  }

  /// A key from what `get_wch` returned; nil for input that is no key (dropped control
  /// characters, unknown escape sequences consumed whole).
  private func decode(_ rc: Int32, _ ch: UInt32) -> Key? {
    if rc == KEY_CODE_YES { return Self.functionKey(Int32(ch)) }
    if ch == 27 { return escapeSequence() }
    return Self.characterKey(ch)
  }

  /// After an ESC ncurses did not turn into a key: nothing follows — the Esc key; `ESC [ 200 ~`
  /// — a bracketed paste; any other sequence (a key this terminal's description lacks, Alt+key,
  /// a report) is read to its end and ignored, so none of its bytes reach a text field.
  private func escapeSequence() -> Key? {
    guard let first = next(milliseconds: 0) ?? next() else { return .escape }
    if first.rc == KEY_CODE_YES { return nil }
    switch first.ch {
    case 27:
      // Esc pressed twice, or Esc and then a sequence (Alt+arrow): the second one is read anew.
      pending = escapeSequence()
      return .escape
    case 0x5B:  // [
      let (params, final) = readCSI()
      if params == "200" && final == "~" { return readPaste() }
      return nil
    case 0x5D:  // ]: an operating-system command runs to BEL or ESC \
      var count = 0
      while count < 4096, let c = next()?.ch {
        count += 1
        if c == 7 { break }
        if c == 27 {
          _ = next()
          break
        }
      }
      return nil
    case 0x4F:  // O: SS3 and one more byte
      _ = next()
      return nil
    default:
      // Esc and then a key typed quickly (Esc, q): both count. An Alt+key is the same bytes.
      pending = decode(first.rc, first.ch)
      return .escape
    }
  }

  /// The rest of a control sequence after `ESC [`: its parameter bytes and its final byte.
  private func readCSI() -> (String, Character?) {
    var params = ""
    while params.count < 64, let n = next() {
      let c = n.ch
      if n.rc == KEY_CODE_YES { return (params, nil) }
      guard let scalar = Unicode.Scalar(c) else { return (params, nil) }
      if (0x40...0x7E).contains(c) { return (params, Character(scalar)) }
      params.unicodeScalars.append(scalar)
    }
    return (params, nil)
  }

  /// Text up to `ESC [ 201 ~` (or a pause: a lost end marker never swallows later typing).
  private func readPaste() -> Key {
    var text = ""
    while text.unicodeScalars.count < 65536, let n = next(milliseconds: 200) {
      let c = n.ch
      if n.rc == KEY_CODE_YES { continue }
      if c == 27 {
        guard let c2 = next()?.ch else { break }
        if c2 == 0x5B {
          let (params, final) = readCSI()
          if params == "201" && final == "~" { break }
        }
        continue
      }
      if let scalar = Unicode.Scalar(c) { text.unicodeScalars.append(scalar) }
    }
    return .paste(TextSanitizer.clean(text))
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

  /// Decodes a character from `get_wch`: Enter, Tab, Esc, Backspace and Ctrl-letters by code;
  /// nil for every other control character (NUL, ^\ ^] ^^ ^_, C1 controls), which is dropped.
  nonisolated public static func characterKey(_ ch: UInt32) -> Key? {
    switch ch {
    case 10, 13: return .enter
    case 9: return .tab
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26: return .ctrl(Character(Unicode.Scalar(ch + 96)!))
    case 0, 28...31, 0x80...0x9F: return nil
    default:
      guard let scalar = Unicode.Scalar(ch) else { return nil }
      return .char(Character(scalar))
    }
  }

  /// Restores the terminal. Safe to call twice.
  public func end() {
    if ended { return }
    ended = true
    crm_bracketed_paste(0)
    endwin()
  }

  /// Columns the C library gives a character under the current locale (for diagnostics and
  /// for checking `TextWidth` against `wcwidth`).
  nonisolated public static func systemWidth(_ scalar: Unicode.Scalar) -> Int {
    Int(crm_wcwidth(scalar.value))
  }
}

/// Why the terminal could not be used.
public enum TerminalError: Error, Sendable, Equatable {
  case notATerminal
  case cannotStart
  /// `TERM` unset, empty, `dumb`, or unknown to ncurses; the text says which.
  case unsupportedTerminal(String)

  /// What to tell the user (exit code 2): why, and what to do instead.
  public func message(russian: Bool) -> String {
    let why: String
    switch self {
    case .notATerminal:
      why =
        russian
        ? "стандартный ввод или вывод — не терминал" : "standard input or output is not a terminal"
    case .cannotStart:
      why = russian ? "терминал не удалось настроить" : "the terminal could not be set up"
    case .unsupportedTerminal(let reason): why = reason
    }
    return russian
      ? "crm нужен полноэкранный терминал (\(why)); используйте подкоманды, например crm client list, или запустите crm в эмуляторе терминала"
      : "crm needs a full-screen terminal (\(why)); use the subcommands, e.g. crm client list, or run in a terminal emulator"
  }
}
