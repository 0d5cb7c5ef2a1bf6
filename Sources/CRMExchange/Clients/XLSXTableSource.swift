import CRMCore
import Foundation

/// A sheet of an .xlsx workbook as a table of the client import: the same profiles, column
/// mapping and row logic as CSV (`ClientTableReader`). The sheet is read whole when the source
/// opens (XMLParser pushes; the import pulls), as text: dates as `YYYY-MM-DD`, numbers as
/// written, booleans as TRUE/FALSE. Messages name cells the way Excel shows them (`C12`).
public final class XLSXTableSource: ClientTableSource {
  public let fileName: String
  public let sheetName: String
  /// Date serials that are no date (kept as numbers), named by cell.
  public let warnings: [XLSXWarning]
  private let rows: [XLSXRow]
  private var index = 0
  public let totalBytes: Int64

  /// Opens `url` and reads the sheet `sheet` names (its name, else its 1-based number; the first
  /// sheet when nil). A workbook that cannot be read throws `ImportFileError` naming the file,
  /// the sheet and the cell or part.
  public init(url: URL, sheet: String? = nil) throws {
    do {
      let reader = try XLSXReader(contentsOf: url)
      let s = try reader.read(sheet: sheet)
      fileName = reader.fileName
      sheetName = s.name
      rows = s.rows
      warnings = s.warnings
    } catch {
      throw ImportFileError(line: 0, en: error.message(.en), ru: error.message(.ru))
    }
    totalBytes = Int64(rows.count)
  }

  public var bytesRead: Int64 { Int64(index) }

  public func nextRecord() throws -> ClientTableRecord? {
    guard index < rows.count else { return nil }
    defer { index += 1 }
    let row = rows[index]
    return ClientTableRecord(line: row.number, cells: row.texts)
  }

  public func cellName(column: Int, line: Int) -> String? {
    XLSXBuilder.columnName(column) + String(line)
  }
}
