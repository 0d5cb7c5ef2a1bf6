import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// What commands print: JSON, plain-text tables, messages on standard error.

/// Prints a JSON value (objects, arrays, strings, numbers) as one document.
func printJSON(_ value: Any) { print(JSONText.text(value)) }

/// A column of a plain-text table.
struct Col {
  var width: Int
  var right = false
}

/// One line of a plain-text table: every cell cut (ending in …) or padded to its column's width
/// (Cyrillic letters take one column), one space between, no trailing spaces.
func tableLine(_ cells: [String], _ cols: [Col]) -> String {
  var line = zip(cells, cols).map { TextWidth.fit($0, to: $1.width, alignRight: $1.right) }
    .joined(separator: " ")
  while line.last == " " { line.removeLast() }
  return line
}

/// A plain-text table: the header, then a line per row, each cut or padded to its column.
func tableText(_ header: [String], _ rows: [[String]], _ cols: [Col]) -> String {
  ([header] + rows).map { tableLine($0, cols) }.joined(separator: "\n")
}

/// Writes a line to standard error.
func writeError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes next to the target, then renames over it: readers see the old or the new file. A
/// failure is an environment error (exit 2). Used by `export ics` and `offer print --out`.
func writeAtomically(_ text: String, to path: String, _ g: Global) throws {
  try writeAtomically(Data(text.utf8), to: path, g)
}

func writeAtomically(_ data: Data, to path: String, _ g: Global) throws {
  let dir = (path as NSString).deletingLastPathComponent
  let temp =
    (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
  do {
    try data.write(to: URL(fileURLWithPath: temp))
    guard rename(temp, path) == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
  } catch {
    unlink(temp)
    throw Failure(
      message: g.language.pick(
        "cannot write \(path): \(error.localizedDescription)",
        "не удаётся записать \(path): \(error.localizedDescription)"), code: 2)
  }
}
