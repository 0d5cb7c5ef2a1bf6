import Foundation

/// A key press, decoded from whatever the backend reads.
public enum Key: Equatable, Hashable, Sendable {
  case char(Character)
  case ctrl(Character)
  case up, down, left, right
  case pageUp, pageDown, home, end
  case enter, escape, backspace, delete, tab, backTab
  case function(Int)
  case resize
  /// Text pasted in one go (bracketed paste): text fields insert it with control characters
  /// removed; everywhere else it is ignored, so a paste never runs commands.
  case paste(String)

  /// The short name shown in hints and help: `j`, `↓`, `PgDn`, `Enter`, `^S`.
  public var label: String {
    switch self {
    case .char(" "): return "Space"
    case .char(let c): return String(c)
    case .ctrl(let c): return "^" + String(c).uppercased()
    case .up: return "↑"
    case .down: return "↓"
    case .left: return "←"
    case .right: return "→"
    case .pageUp: return "PgUp"
    case .pageDown: return "PgDn"
    case .home: return "Home"
    case .end: return "End"
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .backspace: return "Bksp"
    case .delete: return "Del"
    case .tab: return "Tab"
    case .backTab: return "S-Tab"
    case .function(let n): return "F\(n)"
    case .resize: return "resize"
    case .paste: return "paste"
    }
  }
}

/// What screens draw on and read keys from. The ncurses backend talks to a real terminal;
/// the in-memory backend keeps the last frame and a queue of keys for tests.
@MainActor
public protocol Terminal: AnyObject {
  /// Current size in rows and columns.
  var size: Size { get }
  /// Whether colours may be used (false under `NO_COLOR` or on a monochrome terminal).
  var colorsEnabled: Bool { get }
  /// Shows a finished frame.
  func present(_ canvas: Canvas)
  /// Waits for the next key; nil when input has ended.
  func readKey() -> Key?
  /// Waits at most `milliseconds` for a key: `.timeout` lets the caller refresh live data.
  func readKey(milliseconds: Int) -> KeyRead
  /// Drops every key typed but not read yet (after a long piece of work, so keys pressed while
  /// the screen stood still do not run afterwards).
  func flushInput()
}

/// The outcome of waiting for a key with a time limit.
public enum KeyRead: Equatable, Sendable {
  case key(Key)
  case timeout
  case end
}

/// A terminal in memory: tests feed keys and read back the last frame.
@MainActor
public final class MemoryTerminal: Terminal {
  public private(set) var size: Size
  public var colorsEnabled: Bool
  public private(set) var frame: Canvas
  public private(set) var frames = 0
  private var keys: [Key] = []

  public init(rows: Int = 24, cols: Int = 80, colors: Bool = true) {
    size = Size(rows: rows, cols: cols)
    colorsEnabled = colors
    frame = Canvas(size: size)
  }

  public func present(_ canvas: Canvas) {
    frame = canvas
    frames += 1
  }

  public func readKey() -> Key? {
    keys.isEmpty ? nil : keys.removeFirst()
  }

  /// Queued keys first; then as many timeouts as `timeouts` allows, then the end of input.
  public func readKey(milliseconds: Int) -> KeyRead {
    if let k = readKey() { return .key(k) }
    if timeouts > 0 {
      timeouts -= 1
      return .timeout
    }
    return .end
  }

  /// How many `.timeout`s a timed read returns once the queued keys are used up.
  public var timeouts = 0

  public func flushInput() { keys.removeAll() }

  /// Keys still queued (not read yet).
  public var queuedKeys: Int { keys.count }

  /// Queues keys; `type("abc")` queues one `.char` per character.
  public func send(_ k: Key...) { keys.append(contentsOf: k) }
  public func type(_ text: String) { keys.append(contentsOf: text.map { Key.char($0) }) }

  /// Changes the size and queues a `.resize`, as a real terminal would.
  public func resize(rows: Int, cols: Int) {
    size = Size(rows: rows, cols: cols)
    keys.append(.resize)
  }

  /// The text a person would read, one line per row, trailing spaces trimmed.
  public var text: String { frame.text }
  public func line(_ row: Int) -> String { frame.line(row) }
  /// The row where `needle` first appears, or nil.
  public func row(containing needle: String) -> Int? {
    (0..<size.rows).first { frame.line($0).contains(needle) }
  }
  /// The style of the first cell of `needle` on screen.
  public func style(of needle: String) -> Style? {
    for r in 0..<size.rows {
      let line = frame.line(r)
      guard let range = line.range(of: needle) else { continue }
      var col = 0
      for ch in line[..<range.lowerBound] { col += TextWidth.of(ch) }
      return frame[r, col].style
    }
    return nil
  }
}
