import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

/// Standard output and standard error, as every command writes them: text passes the screens'
/// sanitiser (`TextSanitizer.display`: no escape sequence or bidirectional control from a
/// client's name or a bank statement reaches the terminal raw), and a failed write is
/// remembered so that crm exits 1 with a message instead of 0 (`crm client list > /dev/full`).
///
/// Output is buffered here (64 KiB, written with `write(2)` on descriptor 1), not in C's
/// `stdout`; nothing else in the program writes to descriptor 1 except the screens.
enum StandardOutput {
  nonisolated(unsafe) private static var buffer: [UInt8] = []
  nonisolated(unsafe) private static var failed: Int32 = 0
  nonisolated(unsafe) private static var errorFailed = false
  static let bufferSize = 1 << 16
  /// On a terminal each line shows as soon as it is printed, as C's stdio does.
  static let lineBuffered = isatty(1) != 0

  /// Text for standard output, sanitised.
  static func write(_ text: String) {
    append(Array(TextSanitizer.display(text).utf8))
  }

  /// Bytes for standard output as they are (`--out -`: the file's content, written whole).
  static func write(_ data: Data) {
    append([UInt8](data))
  }

  private static func append(_ bytes: [UInt8]) {
    if failed != 0 { return }
    buffer += bytes
    if buffer.count >= bufferSize || (lineBuffered && bytes.contains(0x0A)) { flush() }
  }

  /// Writes everything buffered; a failure is remembered (and later output dropped).
  static func flush() {
    if failed == 0, !writeAll(1, buffer) { failed = errno == 0 ? EIO : errno }
    buffer.removeAll(keepingCapacity: true)
  }

  /// A line (or, with `newline: false`, a question) on standard error, sanitised; standard
  /// output is flushed first so the two keep their order on a terminal.
  static func error(_ text: String, newline: Bool = true) {
    flush()
    let safe = TextSanitizer.display(newline ? text + "\n" : text)
    if !writeAll(2, Array(safe.utf8)) { errorFailed = true }
  }

  /// `write(2)` until everything is out; false on an error.
  private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += n
      }
      return true
    }
  }

  /// Flushes standard output; the exit status crm should end with: `code`, or 1 when anything
  /// could not be written (said on standard error, if that still works).
  static func finish(_ code: Int32) -> Int32 {
    flush()
    if failed != 0 {
      let reason = String(cString: strerror(failed))
      _ = writeAll(2, Array("crm: cannot write to standard output: \(reason)\n".utf8))
      return code == 0 ? 1 : code
    }
    if errorFailed { return code == 0 ? 1 : code }
    return code
  }
}

/// `print` within crm: the same as Swift's, through `StandardOutput` (sanitised, checked).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
  StandardOutput.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
}
