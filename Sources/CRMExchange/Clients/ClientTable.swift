import CRMCore
import Foundation

// MARK: The seam: any table of cells

/// One record of a table file as its source read it: where it is and its cells as text.
public struct ClientTableRecord: Sendable, Equatable {
  /// 1-based: the CSV line where the record starts, or the sheet's row number.
  public var line: Int
  /// The cells in column order, as text: a sheet gives dates as `YYYY-MM-DD` and numbers as
  /// written (no exponent, no `.0`); an empty cell is "". Fewer cells than the header are
  /// fine (the rest are empty).
  public var cells: [String]
  /// Set when the source could not read this record (bytes not in the file's encoding): the
  /// record is reported as a rejected row with this issue and the rest of the file is read on.
  public var problem: ImportIssue?

  public init(line: Int, cells: [String], problem: ImportIssue? = nil) {
    self.line = line
    self.cells = cells
    self.problem = problem
  }
}

/// A table file the client import reads: CSV (`CSVTableSource`) or a spreadsheet. A source
/// only yields records; `ClientTableReader` does the rest the same way for every source: finds
/// the header (records before it, such as LinkedIn's "Notes:" lines, are skipped and named in a
/// warning), recognises the profile (Google Contacts, Outlook, Bitrix24…), maps each column to
/// a field (`--map` first), and turns each record into an `ImportItem`.
///
/// To import a new kind of table: implement this protocol and hand an instance to
/// `ClientTableReader(source:options:)`; drive it with `next()` like `ClientCSVReader`.
public protocol ClientTableSource: AnyObject {
  /// The next record, nil at the end. Throws `ImportFileError` when the file cannot be read on
  /// (nothing is imported then).
  func nextRecord() throws -> ClientTableRecord?
  /// Progress for the import's bar: bytes consumed so far and in all (0 when unknown).
  var bytesRead: Int64 { get }
  var totalBytes: Int64 { get }
  /// How messages name the cell at a 0-based column of the record at `line`, e.g. `C12` in a
  /// sheet; nil (the default, CSV) names it by its header on `line N`.
  func cellName(column: Int, line: Int) -> String?
}

extension ClientTableSource {
  public func cellName(column: Int, line: Int) -> String? { nil }
}

/// What one source column became, for the import summary: the field (`--map` names), or
/// nil when it is ignored, and how many rows had a value there.
public struct ImportColumnUse: Sendable, Equatable {
  public var header: String
  public var field: ClientColumn?
  /// Rows with a non-empty value in this column.
  public var values: Int
  /// For an ignored column with values: the field `--map` could send it to (`extra` keeps it
  /// in the note).
  public var suggestion: ClientColumn?
}

// MARK: The reader over any source

/// Reads clients from any `ClientTableSource` through the import profiles (see
/// `ClientTableSource`). Rows shorter than the header are read (the missing cells are empty);
/// longer rows keep their extra non-empty cells in the note and warn.
public final class ClientTableReader {
  public let source: ClientTableSource
  public private(set) var header: [String] = []
  /// The line (row) of the header.
  public private(set) var headerLine = 0
  /// The field each column fills (nil: ignored).
  public private(set) var columns: [ClientColumn?] = []
  public private(set) var profile = ImportProfile.generic
  /// Unknown columns, skipped lines and other things worth telling about the file, in order.
  public private(set) var warnings: [ImportIssue] = []
  private var plans: [ProfileColumn?] = []
  private var filled: [Int] = []
  private let options: ClientCSVOptions
  private var l: Language { options.language }

  /// How many records are looked at for the header before the first non-empty one is taken.
  static let headerSearch = 12

  public init(source: ClientTableSource, options: ClientCSVOptions) throws {
    self.source = source
    self.options = options
    try readHeader()
  }

  /// What each column became, with the count of values seen so far (all of them once `next`
  /// returned nil).
  public var columnUses: [ImportColumnUse] {
    header.indices.map { i in
      let field = columns[i]
      return ImportColumnUse(
        header: header[i], field: field, values: filled[i],
        suggestion: field == nil && filled[i] > 0 ? Self.suggest(header[i]) : nil)
    }
  }

  /// A field an ignored column probably means, by words in its name; `extra` otherwise.
  static func suggest(_ header: String) -> ClientColumn {
    let k = ImportProfile.key(header)
    let rules: [([String], ClientColumn)] = [
      (["phone", "тел", "mobile", "моб", "сотов"], .phone),
      (["mail", "почт"], .email),
      (["company", "organi", "компан", "организац", "фирм"], .name),
      (["address", "адрес"], .address),
      (["city", "город"], .city),
      (["title", "position", "должн"], .position),
      (["note", "comment", "коммент", "примечан", "заметк"], .notes),
      (["site", "web", "url", "сайт"], .website),
      (["name", "имя", "фио"], .contact),
    ]
    for (words, field) in rules where words.contains(where: { k.contains($0) }) {
      return field
    }
    return .extra
  }

  private func nextRecord() throws -> ClientTableRecord? { try source.nextRecord() }

  private static func isBlank(_ r: ClientTableRecord) -> Bool {
    r.problem == nil && r.cells.allSatisfy { $0.trimmingSpaces().isEmpty }
  }

  /// How many of these cells mean something (a profile column or a generic name).
  private static func known(_ cells: [String]) -> Int {
    let profile = ImportProfile.recognise(cells)
    return cells.filter {
      profile.columns[ImportProfile.key($0)]?.field != nil || ClientColumn.matching($0) != nil
    }.count
  }

  private func readHeader() throws {
    // The header is the first record with two known column names among the first few
    // (LinkedIn writes "Notes:" lines first); failing that, the first non-empty record.
    var looked: [ClientTableRecord] = []
    var chosen: ClientTableRecord?
    while looked.count < Self.headerSearch, let r = try nextRecord() {
      if Self.isBlank(r) { continue }
      if let problem = r.problem {
        throw ImportFileError(line: r.line, en: problem.reason, ru: problem.reason)
      }
      looked.append(r)
      if Self.known(r.cells) >= 2
        || options.map.keys.contains(where: { m in
          r.cells.contains { ClientColumn.fold($0) == ClientColumn.fold(m) }
        })
      {
        chosen = r
        break
      }
    }
    if chosen == nil, let first = looked.first {
      // No record looks like a header: the first is taken, and the ones read past it are data.
      chosen = first
      replay = Array(looked.dropFirst())
    } else if let chosen, let a = looked.first, a.line != chosen.line {
      let b = looked[looked.count - 2]
      warnings.append(
        ImportIssue(
          line: a.line, field: "",
          reason: a.line == b.line
            ? l.pick("comes before the header: skipped", "идёт до заголовка: пропущена")
            : l.pick(
              "lines \(a.line)–\(b.line) come before the header: skipped",
              "строки \(a.line)–\(b.line) идут до заголовка: пропущены")))
    }
    guard let chosen else {
      throw ImportFileError(line: 0, en: "the file has no header", ru: "в файле нет заголовка")
    }
    headerLine = chosen.line
    header = chosen.cells.map { TextFold.sanitizeLine($0) }
    while header.count > 1, header.last?.isEmpty == true { header.removeLast() }
    profile = ImportProfile.recognise(header)
    var mapped: [String: ClientColumn] = [:]
    for (column, field) in options.map {
      guard header.contains(where: { ClientColumn.fold($0) == ClientColumn.fold(column) }) else {
        throw ImportFileError(
          line: headerLine,
          en: "--map: no column «\(column)» in the header (\(header.joined(separator: ", ")))",
          ru: "--map: в заголовке нет колонки «\(column)» (\(header.joined(separator: ", ")))")
      }
      mapped[ClientColumn.fold(column)] = ClientColumn(rawValue: field)
    }
    plans = header.map { name -> ProfileColumn? in
      if let m = mapped[ClientColumn.fold(name)] {
        return m == .skip ? nil : ProfileColumn(field: m, group: "")
      }
      if let p = profile.columns[ImportProfile.key(name)] {
        guard let field = p.field else { return nil }
        return ProfileColumn(
          field: field,
          group: p.group.replacingOccurrences(of: "#", with: ImportProfile.number(name)))
      }
      guard let c = ClientColumn.matching(name), c != .skip else { return nil }
      return ProfileColumn(field: c, group: "")
    }
    // Bitrix24 codes: TITLE is the company in a company file, the lead's title in a lead file
    // (which has COMPANY_TITLE, STATUS_ID or OPPORTUNITY).
    let leadKeys: Set<String> = ["companytitle", "statusid", "opportunity"]
    if profile == .bitrix24Codes,
      header.contains(where: { leadKeys.contains(ImportProfile.key($0)) })
    {
      for (i, h) in header.enumerated() where ImportProfile.key(h) == "title" {
        plans[i] = ProfileColumn(field: .extra, group: "")
      }
    }
    columns = plans.map { $0?.field }
    filled = Array(repeating: 0, count: header.count)
    for (name, column) in zip(header, columns) where column == nil {
      if name.isEmpty || mapped[ClientColumn.fold(name)] == .skip { continue }
      if profile != .generic && profile.columns[ImportProfile.key(name)] != nil { continue }
      warnings.append(
        ImportIssue(
          line: headerLine, field: name,
          reason: l.pick(
            "unknown column, ignored (map it with --map \"\(name)=field\")",
            "неизвестная колонка, пропущена (сопоставьте через --map \"\(name)=поле\")")))
    }
    let identifying: Set<ClientColumn> = [
      .name, .contact, .firstName, .lastName, .middleName, .email, .phone, .contactEmail,
      .contactPhone,
    ]
    if !columns.contains(where: { $0.map(identifying.contains) ?? false }) {
      throw ImportFileError(
        line: headerLine,
        en:
          "no column names a client (name, company, person, e-mail or phone) in the header (\(header.joined(separator: ", "))); name one with --map \"Column=name\"",
        ru:
          "в заголовке нет колонки, называющей клиента (название, компания, имя, e-mail или телефон): \(header.joined(separator: ", ")); укажите её через --map \"Колонка=name\""
      )
    }
  }

  private var replay: [ClientTableRecord] = []
  private var replayIndex = 0

  /// The next row or rejected row; nil at the end. Throws `ImportFileError` for a file that
  /// cannot be read on.
  public func next() throws -> ImportItem? {
    while true {
      let record: ClientTableRecord
      if replayIndex < replay.count {
        record = replay[replayIndex]
        replayIndex += 1
      } else {
        guard let r = try source.nextRecord() else { return nil }
        record = r
      }
      if Self.isBlank(record) { continue }
      if let problem = record.problem { return .rejected(problem) }
      var cells = record.cells
      var warnings: [ImportIssue] = []
      var overflow: [String] = []
      if cells.count > header.count {
        let extra = cells[header.count...].map { TextFold.sanitizeLine($0) }.filter { !$0.isEmpty }
        cells.removeLast(cells.count - header.count)
        if !extra.isEmpty {
          overflow = extra
          warnings.append(
            ImportIssue(
              line: record.line, field: "",
              reason: l.pick(
                "\(header.count + extra.count)+ fields, the header has \(header.count): the extra values are kept in the note",
                "полей больше, чем в заголовке (\(header.count)): лишние значения сохранены в примечании"
              )))
        }
      }
      for (i, c) in cells.enumerated() where !c.isEmpty && !c.trimmingSpaces().isEmpty {
        filled[i] += 1
      }
      let src = source
      let line = record.line
      return ClientRowBuilder.item(
        line: line, plans: plans, header: header, values: cells, profile: profile,
        overflow: overflow, warnings: warnings, language: l,
        cellName: { src.cellName(column: $0, line: line) })
    }
  }
}
