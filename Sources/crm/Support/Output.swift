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
  StandardOutput.error(text)
}

/// Writes a file the one safe way (`SafeFile`: a random private temporary name beside it, never
/// through a link, then renamed over it; devices and FIFOs refused), or prints it when `path`
/// is `-`. A failure is the core's error, phrased for the user. Every `--out` goes through here.
func writeAtomically(_ text: String, to path: String, _ g: Global) throws {
  try writeAtomically(Data(text.utf8), to: path, g)
}

func writeAtomically(_ data: Data, to path: String, _ g: Global) throws {
  if path == "-" {
    StandardOutput.write(data)
    return
  }
  try core(g) { try SafeFile.write(data, to: path, language: g.language) }
}
