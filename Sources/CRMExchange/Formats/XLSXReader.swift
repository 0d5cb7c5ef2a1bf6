import CRMCore
import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One cell's value, typed as the sheet stores it.
public enum XLSXValue: Equatable, Sendable {
  /// A shared, inline or formula string (rich-text runs joined, phonetic runs left out).
  case text(String)
  case number(Double)
  case bool(Bool)
  /// A number in a date format, or a `t="d"` cell: ISO 8601 `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss`
  /// or `HH:mm:ss`.
  case date(String)
  /// An error value such as `#N/A`.
  case error(String)

  /// What a CSV cell would hold: numbers without a needless `.0` and never in exponent form when
  /// they are whole (a phone number kept as a number is 79161234567, not 7.9161234567E10).
  public var text: String {
    switch self {
    case .text(let s), .date(let s), .error(let s): return s
    case .bool(let b): return b ? "TRUE" : "FALSE"
    case .number(let d): return XLSXValue.format(d)
    }
  }

  static func format(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    var s = "\(d)"
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
  }
}

/// One row of a sheet: `values[i]` is column i (A = 0); a column the sheet skips is nil, and
/// nothing follows the last cell that has a value.
public struct XLSXRow: Equatable, Sendable {
  /// 1-based, as Excel shows it.
  public var number: Int
  public var values: [XLSXValue?]

  public init(number: Int, values: [XLSXValue?]) {
    self.number = number
    self.values = values
  }

  /// The row as CSV would give it: every column up to the last filled one, "" for gaps.
  public var texts: [String] { values.map { $0?.text ?? "" } }
}

/// A problem with an XLSX file, naming the file and, when known, the sheet and the cell or the
/// part of the package.
public struct XLSXError: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var sheet: String?
  /// `B7`, when one cell is at fault.
  public var cell: String?
  /// The package part (`xl/sharedStrings.xml`), when the fault is in a part rather than a cell.
  public var part: String?
  public var en: String
  public var ru: String

  public init(
    file: String, sheet: String? = nil, cell: String? = nil, part: String? = nil, en: String,
    ru: String
  ) {
    self.file = file
    self.sheet = sheet
    self.cell = cell
    self.part = part
    self.en = en
    self.ru = ru
  }

  /// `clients.xlsx, sheet «Лист1», cell B7: …` / `clients.xlsx, лист «Лист1», ячейка B7: …`.
  public func message(_ l: Language) -> String {
    var parts = [file]
    if let sheet { parts.append(l.pick("sheet «\(sheet)»", "лист «\(sheet)»")) }
    if let cell { parts.append(l.pick("cell \(cell)", "ячейка \(cell)")) }
    if let part, cell == nil { parts.append(l.pick("part \(part)", "часть \(part)")) }
    return parts.joined(separator: ", ") + ": " + l.pick(en, ru)
  }

  public var description: String { message(.en) }
}

/// A value that was read but is doubtful, kept as text: the cell and what is wrong.
public struct XLSXWarning: Equatable, Sendable {
  public var cell: String
  public var en: String
  public var ru: String

  public func message(_ l: Language) -> String {
    l.pick("cell \(cell): \(en)", "ячейка \(cell): \(ru)")
  }
}

/// A sheet read whole.
public struct XLSXSheet: Equatable, Sendable {
  public var name: String
  public var rows: [XLSXRow]
  public var warnings: [XLSXWarning]
}

/// Reads the sheets of an Office Open XML workbook (.xlsx as written by Excel, LibreOffice, 1C,
/// openpyxl, the .NET SDK…): the zip through ZIPFoundation, every XML part through Foundation's
/// streaming XMLParser (never a DOM), so a sheet of 100,000 rows costs its rows, not a tree.
///
/// - The workbook is found through `_rels/.rels` (falling back to `xl/workbook.xml`); sheets,
///   shared strings and styles through the workbook's relationships. Element names are matched
///   without their namespace prefix (`x:c` is `c`), so .NET's prefixed files read the same.
/// - Cells: shared strings (`t="s"`), inline strings (`t="inlineStr"`, rich-text runs joined,
///   phonetic `rPh` runs left out), formula strings (`t="str"`), booleans, errors, numbers, and
///   ISO dates (`t="d"`). A number whose style has a date format — built-in 14–22 and 45–47, or a
///   custom format with d, y or a month m (not the minutes in h:mm) outside quotes and brackets —
///   is a date, counted from 1899-12-30 (with Excel's phantom 1900-02-29) or from 1904-01-01 when
///   the workbook says `date1904`. `_x000D_`-style escapes are decoded.
/// - Cell references place values in their columns, so skipped columns stay empty; cells and rows
///   without references follow the previous ones.
/// - Refusals (`XLSXError`) name the file, the sheet and the cell or part: not a zip, a missing
///   part or sheet, malformed XML, a shared-string index out of range, a number cell that holds
///   no number, a bad cell reference. A date serial outside 0001–9999 is kept as its number, with
///   a warning.
public struct XLSXReader {
  /// A part larger than this once unpacked is refused (a zip bomb is not a client list).
  public static let maxPartSize: UInt64 = 2 << 30

  public let fileName: String
  private let archive: Archive
  /// The sheets in workbook order: name and package path.
  public let sheets: [(name: String, path: String)]
  private let date1904: Bool
  private let sharedStringsPath: String?
  private let stylesPath: String?

  /// Opens a workbook at `url`; `fileName` in messages is the URL's last component.
  public init(contentsOf url: URL) throws(XLSXError) {
    let name = url.lastPathComponent
    let archive: Archive
    do {
      archive = try Archive(url: url, accessMode: .read)
    } catch {
      if !FileManager.default.fileExists(atPath: url.path) {
        throw XLSXError(file: name, en: "no such file", ru: "файла нет")
      }
      throw XLSXError(
        file: name, en: "not an XLSX workbook (not a zip archive)",
        ru: "это не книга XLSX (не zip-архив)")
    }
    try self.init(archive: archive, fileName: name)
  }

  /// Opens a workbook held in memory. The bytes go through a private temporary file (unlinked
  /// once open): ZIPFoundation's in-memory archive traps on some damaged zips, where reading a
  /// file fails cleanly.
  public init(data: Data, fileName: String) throws(XLSXError) {
    let archive: Archive
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "termcrm-xlsx-\(UUID().uuidString).xlsx")
    defer { try? FileManager.default.removeItem(at: url) }
    do {
      guard
        FileManager.default.createFile(
          atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600])
      else {
        throw XLSXError(
          file: fileName, en: "cannot hold the workbook in a temporary file",
          ru: "не удаётся сохранить книгу во временный файл")
      }
      archive = try Archive(url: url, accessMode: .read)
    } catch let e as XLSXError {
      throw e
    } catch {
      throw XLSXError(
        file: fileName, en: "not an XLSX workbook (not a zip archive)",
        ru: "это не книга XLSX (не zip-архив)")
    }
    try self.init(archive: archive, fileName: fileName)
  }

  private init(archive: Archive, fileName: String) throws(XLSXError) {
    self.archive = archive
    self.fileName = fileName
    var workbookPath = "xl/workbook.xml"
    if let rootRels = try Self.part(archive, "_rels/.rels", fileName, required: false) {
      let rels = try Self.relationships(rootRels, base: "", part: "_rels/.rels", fileName)
      if let doc = rels.first(where: { $0.type.hasSuffix("/officeDocument") }) {
        workbookPath = doc.target
      }
    }
    guard let workbook = try Self.part(archive, workbookPath, fileName, required: false) else {
      throw XLSXError(
        file: fileName, part: workbookPath,
        en: "not an XLSX workbook: there is no \(workbookPath)",
        ru: "это не книга XLSX: в архиве нет \(workbookPath)")
    }
    let book = WorkbookHandler()
    try Self.parse(workbook, book, part: workbookPath, fileName)
    let base = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
    let relsPath =
      (base.isEmpty ? "" : base + "/") + "_rels/"
      + (workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels"
    var rels: [Relationship] = []
    if let data = try Self.part(archive, relsPath, fileName, required: false) {
      rels = try Self.relationships(data, base: base, part: relsPath, fileName)
    }
    var sheets: [(String, String)] = []
    for (i, s) in book.sheets.enumerated() {
      if let r = rels.first(where: { $0.id == s.rid }) {
        sheets.append((s.name, r.target))
      } else {
        // Without relationships, sheets are conventionally numbered.
        sheets.append((s.name, (base.isEmpty ? "" : base + "/") + "worksheets/sheet\(i + 1).xml"))
      }
    }
    self.sheets = sheets
    self.date1904 = book.date1904
    self.sharedStringsPath = rels.first { $0.type.hasSuffix("/sharedStrings") }?.target
    self.stylesPath = rels.first { $0.type.hasSuffix("/styles") }?.target
  }

  /// The sheet `selector` names: its exact name first, then (for a number) its 1-based position;
  /// nil means the first sheet.
  public func sheetIndex(_ selector: String?) throws(XLSXError) -> Int {
    guard !sheets.isEmpty else {
      throw XLSXError(file: fileName, en: "the workbook has no sheets", ru: "в книге нет листов")
    }
    guard let selector else { return 0 }
    if let i = sheets.firstIndex(where: { $0.name == selector }) { return i }
    let folded = selector.lowercased()
    if let i = sheets.firstIndex(where: { $0.name.lowercased() == folded }) { return i }
    if let n = Int(selector), n >= 1, n <= sheets.count { return n - 1 }
    let names = sheets.map { "«\($0.name)»" }.joined(separator: ", ")
    throw XLSXError(
      file: fileName, en: "there is no sheet «\(selector)»; the sheets are \(names)",
      ru: "листа «\(selector)» нет; листы: \(names)")
  }

  /// Reads the sheet `selector` names (see `sheetIndex`) whole.
  public func read(sheet selector: String? = nil) throws(XLSXError) -> XLSXSheet {
    var rows: [XLSXRow] = []
    do {
      let (name, warnings) = try stream(sheet: selector) { rows.append($0) }
      return XLSXSheet(name: name, rows: rows, warnings: warnings)
    } catch let e as XLSXError {
      throw e
    } catch {
      // Only the row callback could throw another error, and this one does not throw.
      throw XLSXError(file: fileName, en: "\(error)", ru: "\(error)")
    }
  }

  /// Streams the rows of the sheet `selector` names to `row` (rows with no value are skipped);
  /// returns the sheet's name and the warnings. An error thrown by `row` stops the reading and is
  /// rethrown as is.
  public func stream(sheet selector: String? = nil, row: (XLSXRow) throws -> Void) throws
    -> (name: String, warnings: [XLSXWarning])
  {
    let index = try sheetIndex(selector)
    let (name, path) = sheets[index]
    let shared = try sharedStrings()
    let dateStyles = try dateStyleKinds()
    guard let data = try Self.part(archive, path, fileName, required: false) else {
      throw XLSXError(
        file: fileName, sheet: name, part: path,
        en: "the sheet's part \(path) is missing from the archive",
        ru: "части листа \(path) нет в архиве")
    }
    // The handler holds `row` only while the parser runs; neither outlives this block.
    let (ok, line, thrown, warnings) = withoutActuallyEscaping(row) { row in
      let handler = SheetHandler(
        file: fileName, sheet: name, part: path, shared: shared, dateStyles: dateStyles,
        date1904: date1904, row: row)
      let parser = Self.parser(data)
      parser.delegate = handler
      let ok = parser.parse()
      parser.delegate = nil
      return (ok, parser.lineNumber, handler.thrown, handler.warnings)
    }
    if let thrown { throw thrown }
    if !ok {
      throw XLSXError(
        file: fileName, sheet: name, part: path,
        en: "the sheet's XML is broken at line \(line)",
        ru: "XML листа повреждён в строке \(line)")
    }
    return (name, warnings)
  }

  // MARK: parts

  private func sharedStrings() throws(XLSXError) -> [String] {
    let path = sharedStringsPath ?? "xl/sharedStrings.xml"
    guard let data = try Self.part(archive, path, fileName, required: false) else { return [] }
    let h = SharedStringsHandler()
    try Self.parse(data, h, part: path, fileName)
    return h.strings
  }

  /// For each cell style (index into cellXfs): whether its number format is a date, a date with
  /// a time, a time, or none.
  private func dateStyleKinds() throws(XLSXError) -> [DateKind?] {
    let path = stylesPath ?? "xl/styles.xml"
    guard let data = try Self.part(archive, path, fileName, required: false) else { return [] }
    let h = StylesHandler()
    try Self.parse(data, h, part: path, fileName)
    return h.cellFormats.map { id in
      if let code = h.customFormats[id] { return DateKind(formatCode: code) }
      return DateKind(builtin: id)
    }
  }

  private static func part(_ archive: Archive, _ path: String, _ file: String, required: Bool)
    throws(XLSXError) -> Data?
  {
    var entry = archive[path]
    if entry == nil {
      let folded = path.lowercased()
      entry = archive.first { $0.path.lowercased() == folded }
    }
    guard let entry else { return nil }
    guard entry.uncompressedSize <= maxPartSize else {
      throw XLSXError(
        file: file, part: path, en: "the part \(path) is larger than 2 GiB unpacked",
        ru: "часть \(path) после распаковки больше 2 ГиБ")
    }
    var data = Data()
    data.reserveCapacity(Int(entry.uncompressedSize))
    do {
      _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
    } catch {
      throw XLSXError(
        file: file, part: path, en: "the part \(path) cannot be unpacked (damaged archive)",
        ru: "часть \(path) не распаковывается (архив повреждён)")
    }
    return data
  }

  /// A parser fed from a stream: given the whole part at once, libxml2's push parser stops at
  /// 10 MB without progress ("huge input lookup"), and Excel writes a sheet or its shared strings
  /// on one line of tens of megabytes; the stream hands them over in chunks.
  static func parser(_ data: Data) -> XMLParser {
    XMLParser(stream: InputStream(data: data))
  }

  private static func parse(
    _ data: Data, _ delegate: some XMLParserDelegate, part: String, _ file: String
  ) throws(XLSXError) {
    let parser = Self.parser(data)
    parser.delegate = delegate
    guard parser.parse() else {
      throw XLSXError(
        file: file, part: part, en: "the XML of \(part) is broken at line \(parser.lineNumber)",
        ru: "XML части \(part) повреждён в строке \(parser.lineNumber)")
    }
  }

  struct Relationship {
    var id: String
    var type: String
    var target: String
  }

  private static func relationships(_ data: Data, base: String, part: String, _ file: String)
    throws(XLSXError) -> [Relationship]
  {
    let h = RelationshipsHandler()
    try parse(data, h, part: part, file)
    return h.items.map { r in
      var target = r.target
      if target.hasPrefix("/") {
        target.removeFirst()
      } else if !base.isEmpty {
        target = base + "/" + target
      }
      // Resolve "../" segments.
      var parts: [Substring] = []
      for seg in target.split(separator: "/") {
        if seg == ".." {
          _ = parts.popLast()
        } else if seg != "." {
          parts.append(seg)
        }
      }
      return Relationship(id: r.id, type: r.type, target: parts.joined(separator: "/"))
    }
  }
}

// MARK: - dates

/// What a number format shows of a serial number.
enum DateKind: Equatable, Sendable {
  case date, dateTime, time

  init?(builtin id: Int) {
    switch id {
    case 14...17: self = .date
    case 22: self = .dateTime
    case 18...21, 45...47: self = .time
    default: return nil
    }
  }

  /// Looks at a custom format code with quoted text, `[...]` sections (colours, locales,
  /// elapsed-time brackets) and `\`-escaped characters removed.
  init?(formatCode: String) {
    var hasDate = false
    var hasMonthOrMinute = false
    var hasTime = false
    var quoted = false
    var bracket = false
    var escaped = false
    var bracketText = ""
    for ch in formatCode.lowercased() {
      if escaped {
        escaped = false
        continue
      }
      if quoted {
        if ch == "\"" { quoted = false }
        continue
      }
      if bracket {
        if ch == "]" {
          bracket = false
          // [h], [mm], [ss]: elapsed time, a duration rather than a moment.
          if !bracketText.isEmpty && bracketText.allSatisfy({ "hms".contains($0) }) {
            return nil
          }
        } else {
          bracketText.append(ch)
        }
        continue
      }
      switch ch {
      case "\\", "_", "*": escaped = true
      case "\"": quoted = true
      case "[":
        bracket = true
        bracketText = ""
      case "d", "y": hasDate = true
      case "m": hasMonthOrMinute = true
      case "h", "s": hasTime = true
      default: break
      }
      if ch == ";" { break }  // the first section decides
    }
    if hasDate {
      self = hasTime ? .dateTime : .date
    } else if hasTime {
      self = .time
    } else if hasMonthOrMinute {
      self = .date  // "mmm" or "mm.yyyy"-style month formats without y are still dates
    } else {
      return nil
    }
  }

  /// The ISO text for an Excel serial, or nil when it is outside 0001-01-01…9999-12-31 or is the
  /// phantom 1900-02-29.
  func iso(_ serial: Double, date1904: Bool) -> String? {
    guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
    var days = Int(serial.rounded(.down))
    var seconds = Int(((serial - Double(days)) * 86_400).rounded())
    if seconds >= 86_400 {
      days += 1
      seconds -= 86_400
    }
    let time = String(
      format: "%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60)
    if self == .time { return time }  // a time format shows the time of day only
    let epochDay: Int  // days from 1970-01-01 to the serial's day 0
    if date1904 {
      epochDay = -24_107  // 1904-01-01
    } else {
      if days == 60 { return nil }  // 1900-02-29 never existed
      if days == 0 { return nil }  // "1900-01-00"
      epochDay = days < 60 ? -25_568 : -25_569  // 1899-12-31 / 1899-12-30
    }
    let (y, m, d) = Self.civil(fromDays: epochDay + days)
    let date = String(format: "%04d-%02d-%02d", y, m, d)
    switch self {
    case .date: return seconds == 0 ? date : date + " " + time
    case .dateTime, .time: return date + " " + time
    }
  }

  /// Howard Hinnant's days-to-civil.
  static func civil(fromDays z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }
}

// MARK: - XML handlers

/// The local part of a possibly prefixed name (`x:c` → `c`).
@inline(__always) private func local(_ name: String) -> Substring {
  guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
  return name[name.index(after: colon)...]
}

/// Decodes Excel's `_xHHHH_` escapes (`_x000D_` is a carriage return).
func decodeXLSXEscapes(_ s: String) -> String {
  guard s.contains("_x") else { return s }
  var out = ""
  var rest = Substring(s)
  while let r = rest.range(of: "_x") {
    let after = rest[r.upperBound...]
    let hex = after.prefix(4)
    if hex.count == 4, after.dropFirst(4).first == "_",
      let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v)
    {
      out += rest[..<r.lowerBound]
      out.unicodeScalars.append(scalar)
      rest = after.dropFirst(5)
    } else {
      out += rest[..<r.upperBound]
      rest = after
    }
  }
  out += rest
  return out
}

private final class WorkbookHandler: NSObject, XMLParserDelegate {
  var sheets: [(name: String, rid: String)] = []
  var date1904 = false

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes: [String: String] = [:]
  ) {
    switch local(elementName) {
    case "sheet":
      let rid = attributes.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value ?? ""
      sheets.append((attributes["name"] ?? "", rid))
    case "workbookPr":
      let v = attributes["date1904"]?.lowercased()
      date1904 = v == "1" || v == "true"
    default: break
    }
  }
}

private final class RelationshipsHandler: NSObject, XMLParserDelegate {
  var items: [XLSXReader.Relationship] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes: [String: String] = [:]
  ) {
    guard local(elementName) == "Relationship" else { return }
    items.append(
      XLSXReader.Relationship(
        id: attributes["Id"] ?? "", type: attributes["Type"] ?? "",
        target: attributes["Target"] ?? ""))
  }
}

private final class StylesHandler: NSObject, XMLParserDelegate {
  var customFormats: [Int: String] = [:]
  var cellFormats: [Int] = []
  private var inCellXfs = false

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes: [String: String] = [:]
  ) {
    switch local(elementName) {
    case "numFmt":
      if let id = attributes["numFmtId"].flatMap({ Int($0) }) {
        customFormats[id] = attributes["formatCode"] ?? ""
      }
    case "cellXfs": inCellXfs = true
    case "xf" where inCellXfs:
      cellFormats.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
    default: break
    }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    if local(elementName) == "cellXfs" { inCellXfs = false }
  }
}

/// Collects `<si>` items: the text of their `<t>` elements, runs joined, phonetic runs skipped.
private final class SharedStringsHandler: NSObject, XMLParserDelegate {
  var strings: [String] = []
  private var current = ""
  private var inT = false
  private var phonetic = 0

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes: [String: String] = [:]
  ) {
    switch local(elementName) {
    case "si": current = ""
    case "t": inT = phonetic == 0
    case "rPh": phonetic += 1
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inT { current += string }
  }

  func parser(_ parser: XMLParser, foundCDATA cdata: Data) {
    if inT { current += String(decoding: cdata, as: UTF8.self) }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    switch local(elementName) {
    case "si": strings.append(decodeXLSXEscapes(current))
    case "t": inT = false
    case "rPh": phonetic -= 1
    default: break
    }
  }
}

/// Streams `<sheetData>`: one `XLSXRow` per `<row>` that has a value.
private final class SheetHandler: NSObject, XMLParserDelegate {
  let file: String
  let sheet: String
  let part: String
  let shared: [String]
  let dateStyles: [DateKind?]
  let date1904: Bool
  let emit: (XLSXRow) throws -> Void
  var thrown: (any Error)?
  var warnings: [XLSXWarning] = []

  private var rowNumber = 0
  private var values: [XLSXValue?] = []
  private var column = -1
  private var cellType = ""
  private var cellStyle = 0
  private var cellRef: String?
  private var text = ""
  private var inValue = false
  private var inInline = false
  private var inT = false
  private var phonetic = 0
  private var hasValue = false
  private var cellOpen = false
  private var rowOpen = false

  init(
    file: String, sheet: String, part: String, shared: [String], dateStyles: [DateKind?],
    date1904: Bool, row: @escaping (XLSXRow) throws -> Void
  ) {
    self.file = file
    self.sheet = sheet
    self.part = part
    self.shared = shared
    self.dateStyles = dateStyles
    self.date1904 = date1904
    self.emit = row
  }

  /// Foundation's parser recovers from some malformed XML; a mismatched tag still refuses the
  /// sheet.
  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    broken(parser)
  }

  private func broken(_ parser: XMLParser) {
    fail(
      parser,
      XLSXError(
        file: file, sheet: sheet, part: part,
        en: "the sheet's XML is broken at line \(parser.lineNumber)",
        ru: "XML листа повреждён в строке \(parser.lineNumber)"))
  }

  private func fail(_ parser: XMLParser, _ error: any Error) {
    if thrown == nil { thrown = error }
    parser.abortParsing()
  }

  private func cellError(_ en: String, _ ru: String) -> XLSXError {
    XLSXError(file: file, sheet: sheet, cell: cellName, en: en, ru: ru)
  }

  private var cellName: String { cellRef ?? (XLSXBuilder.columnName(column) + String(rowNumber)) }

  /// `B7` → (1, 7); nil when the reference is not letters then digits.
  static func parseRef(_ ref: String) -> (column: Int, row: Int)? {
    var col = 0
    var row = 0
    var letters = 0
    var digits = 0
    for u in ref.utf8 {
      switch u {
      case 65...90, 97...122:
        guard digits == 0 else { return nil }
        col = col * 26 + Int((u | 0x20) - 96)
        letters += 1
        if letters > 3 { return nil }
      case 48...57:
        guard letters > 0 else { return nil }
        row = row * 10 + Int(u - 48)
        digits += 1
        if digits > 7 { return nil }
      case 36: continue  // $
      default: return nil
      }
    }
    guard letters > 0, digits > 0, row > 0, col <= 16_384 else { return nil }
    return (col - 1, row)
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes: [String: String] = [:]
  ) {
    switch local(elementName) {
    case "row":
      if rowOpen || cellOpen { return broken(parser) }
      rowOpen = true
      if let r = attributes["r"] {
        guard let n = Int(r), n > rowNumber, n <= 1_048_576 else {
          fail(
            parser,
            XLSXError(
              file: file, sheet: sheet, cell: nil, part: nil,
              en: "row number «\(r)» after row \(rowNumber) is not a valid row",
              ru: "номер строки «\(r)» после строки \(rowNumber) недопустим"))
          return
        }
        rowNumber = n
      } else {
        rowNumber += 1
      }
      values.removeAll(keepingCapacity: true)
      column = -1
    case "c":
      if !rowOpen || cellOpen { return broken(parser) }
      cellOpen = true
      cellRef = attributes["r"]
      if let ref = cellRef {
        guard let (c, r) = Self.parseRef(ref), r == rowNumber, c > column else {
          fail(
            parser,
            cellError(
              "the cell reference «\(ref)» does not belong in row \(rowNumber) after column "
                + XLSXBuilder.columnName(max(column, 0)),
              "ссылка на ячейку «\(ref)» не подходит к строке \(rowNumber) после столбца "
                + XLSXBuilder.columnName(max(column, 0))))
          return
        }
        column = c
      } else {
        column += 1
        guard column < 16_384 else {
          fail(parser, cellError("too many cells in the row", "слишком много ячеек в строке"))
          return
        }
      }
      cellType = attributes["t"] ?? "n"
      cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
      text = ""
      hasValue = false
    case "v":
      inValue = true
      hasValue = true
      text = ""
    case "is":
      inInline = true
      hasValue = true
      text = ""
    case "t":
      inT = inInline && phonetic == 0
    case "rPh":
      phonetic += 1
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inValue || inT { text += string }
  }

  func parser(_ parser: XMLParser, foundCDATA cdata: Data) {
    if inValue || inT { text += String(decoding: cdata, as: UTF8.self) }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    switch local(elementName) {
    case "v": inValue = false
    case "t": inT = false
    case "rPh": phonetic -= 1
    case "is": inInline = false
    case "c":
      cellOpen = false
      guard hasValue else { return }
      do {
        if let v = try value() {
          if values.count < column {
            values.append(contentsOf: repeatElement(nil, count: column - values.count))
          }
          values.append(v)
        }
      } catch {
        fail(parser, error)
      }
    case "row":
      if cellOpen { return broken(parser) }
      rowOpen = false
      guard values.contains(where: { $0 != nil }) else { return }
      do {
        try emit(XLSXRow(number: rowNumber, values: values))
      } catch {
        fail(parser, error)
      }
    default: break
    }
  }

  private func value() throws(XLSXError) -> XLSXValue? {
    switch cellType {
    case "s":
      let raw = text.trimmingCharacters(in: .whitespaces)
      guard let i = Int(raw), i >= 0, i < shared.count else {
        throw cellError(
          "shared string «\(raw)» does not exist (the file has \(shared.count))",
          "общей строки «\(raw)» нет (в файле их \(shared.count))")
      }
      return shared[i].isEmpty ? nil : .text(shared[i])
    case "inlineStr", "str":
      let s = decodeXLSXEscapes(text)
      return s.isEmpty ? nil : .text(s)
    case "b":
      switch text.trimmingCharacters(in: .whitespaces).lowercased() {
      case "1", "true": return .bool(true)
      case "0", "false": return .bool(false)
      default:
        throw cellError(
          "«\(text)» is not a boolean value", "«\(text)» — не логическое значение")
      }
    case "e":
      return text.isEmpty ? nil : .error(text)
    case "d":
      let s = text.trimmingCharacters(in: .whitespaces)
      guard !s.isEmpty else { return nil }
      let iso = Self.isoDateText(s)
      guard let first = iso.unicodeScalars.first, ("0"..."9").contains(first),
        iso.unicodeScalars.allSatisfy({
          ("0"..."9").contains($0) || "-:. +".unicodeScalars.contains($0)
        })
      else {
        throw cellError(
          "«\(s)» in a date cell is not an ISO 8601 date",
          "«\(s)» в ячейке даты — не дата ISO 8601")
      }
      return .date(iso)
    default:  // "n" and anything unknown
      let raw = text.trimmingCharacters(in: .whitespaces)
      if raw.isEmpty { return nil }
      guard let d = Double(raw), d.isFinite else {
        throw cellError(
          "«\(raw)» in a number cell is not a number", "«\(raw)» в числовой ячейке — не число")
      }
      if cellStyle >= 0, cellStyle < dateStyles.count, let kind = dateStyles[cellStyle] {
        if let iso = kind.iso(d, date1904: date1904) { return .date(iso) }
        warnings.append(
          XLSXWarning(
            cell: cellName, en: "\(raw) is not a date Excel can show; kept as a number",
            ru: "\(raw) — не дата, которую может показать Excel; оставлено числом"))
      }
      return .number(d)
    }
  }

  /// `2021-01-01T10:10:10` → `2021-01-01 10:10:10`; a midnight time is dropped.
  static func isoDateText(_ s: String) -> String {
    var t = s.replacingOccurrences(of: "T", with: " ")
    if t.hasSuffix("Z") { t.removeLast() }
    if t.hasSuffix(" 00:00:00") { t.removeLast(9) }
    return t
  }
}
