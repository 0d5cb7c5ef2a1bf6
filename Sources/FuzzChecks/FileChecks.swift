import CRMCore
import CRMExchange
import Foundation

// MARK: - Bank statements

enum BankChecks {
  static let t = FuzzTarget.bank

  static func parse(_ data: Data) throws(FuzzViolation) -> BankStatement? {
    do {
      return try BankStatementReader.parse(data)
    } catch {
      try expect(error.line >= 0, t, "an error's line ≥ 0", "line \(error.line)")
      try expectMessage(error.en, error.ru, t, "a statement error")
      return nil
    }
  }

  static func check(_ data: Data) throws(FuzzViolation) {
    guard let s = try parse(data) else { return }
    for w in s.warnings {
      try expect(w.line >= 0, t, "a warning's line ≥ 0", "line \(w.line)")
      try expectMessage(w.en, w.ru, t, "a warning")
    }
    // A header or account-section field that does not read is a warning naming its key and
    // its line.
    for w in s.warnings where w.en.hasSuffix("; the field is ignored") {
      let key = w.en.prefix { $0 != ":" }
      try expect(
        w.line > 0 && !key.isEmpty && !key.contains(" "), t,
        "a field warning names the key on its line", "\(w)")
    }
    for d in s.documents {
      try expect(d.amount > 0, t, "a document's amount > 0", "\(d.amount)")
      try expect(d.line > 0, t, "a document names its line", "\(d.line)")
    }
    guard let from = s.documents.map(\.date).min(), let to = s.documents.map(\.date).max()
    else { return }
    // Round trip: the documents written back (UTF-8, so no character is lost) read back equal.
    let drafts = s.documents.prefix(50).map { d in
      BankStatementWriter.Draft(
        kind: d.kind, number: d.number, date: d.date, amount: d.amount,
        payerAccount: d.payerAccount, payerName: d.payerName, payerINN: d.payerINN,
        payerKPP: d.payerKPP, payerBIC: d.payerBIC, payerBank: d.payerBank,
        payeeAccount: d.payeeAccount, payeeName: d.payeeName, payeeINN: d.payeeINN,
        payeeKPP: d.payeeKPP, payeeBIC: d.payeeBIC, payeeBank: d.payeeBank,
        dateWritten: d.dateWritten, dateReceived: d.dateReceived, purpose: d.purpose)
    }
    // One account section, so documents without bank dates are not taken for payment orders.
    let file = BankStatementWriter.write(
      sender: s.header.sender, accounts: ["40702810900000000001"], from: from, to: to,
      documents: Array(drafts), encoding: .utf8)
    guard let back = try parse(file) else {
      throw FuzzViolation(
        t, "the writer's file parses",
        "documents \(s.documents.prefix(3))\nfile \(show(text(file), 1500))")
    }
    try expect(
      back.documents.count == drafts.count, t, "the writer's file has every document",
      "\(back.documents.count) of \(drafts.count)")
    for (a, b) in zip(s.documents, back.documents) {
      var a = a
      var b = b
      (a.line, a.fields, b.line, b.fields) = (0, [], 0, [])
      try expect(a == b, t, "writer → reader gives the document back", "read \(a)\nback \(b)")
    }
  }
}

// MARK: - Sales-process file (TOML)

enum TOMLChecks {
  static let t = FuzzTarget.toml

  static func check(_ data: Data) throws(FuzzViolation) {
    let source = text(data)
    try checkUserConfig(source)
    for l in [Language.en, .ru] {
      let config: FunnelConfig
      do {
        config = try FunnelConfigFile.parse(source, language: l)
      } catch {
        try expect(
          !error.message.trimmingSpaces().isEmpty, t, "an error has a message", "\(error)")
        try expect((error.line ?? 1) >= 1, t, "an error's line ≥ 1", "\(error)")
        continue
      }
      let written = FunnelConfigFile.write(config, language: l)
      do {
        let back = try FunnelConfigFile.parse(written, language: l)
        try expect(
          back == config, t, "write → parse gives the configuration back",
          "read \(config)\nback \(back)")
      } catch {
        throw FuzzViolation(
          t, "the written file parses", "\(error)\nfile \(show(written, 1500))")
      }
    }
  }
}

extension TOMLChecks {
  /// The user's own config.toml: any text either parses (a command is one sanitised line) or
  /// fails with a message and a line ≥ 1.
  static func checkUserConfig(_ source: String) throws(FuzzViolation) {
    let config: UserConfig
    do {
      config = try UserConfig.parse(source, fileName: "config.toml", language: .en)
    } catch {
      try expect(!error.message.trimmingSpaces().isEmpty, t, "an error has a message", "\(error)")
      try expect((error.line ?? 1) >= 1, t, "an error's line ≥ 1", "\(error)")
      return
    }
    if let command = config.notifyCommand {
      try expect(
        command == TextFold.sanitizeLine(command) && !command.isEmpty, t,
        "notify_command is one clean line", command)
    }
  }
}

// MARK: - EnterpriseData XML

enum XMLChecks {
  static let t = FuzzTarget.xml

  static func check(_ data: Data) throws(FuzzViolation) {
    do {
      _ = try EnterpriseDataReader.read(data)
    } catch {
      try expect(error.line >= 0, t, "an error's line ≥ 0", "\(error.line)")
      try expectMessage(error.en, error.ru, t, "an EnterpriseData error")
    }
  }
}

// MARK: - iCalendar

enum ICalChecks {
  static let t = FuzzTarget.ical

  static func check(_ data: Data) throws(FuzzViolation) {
    let source = text(data)
    switch attempt({ () throws(ICalendarError) in try ICalendar.parse(source) }) {
    case .success(let root): try walk(root, depth: 0)
    case .failure(let error):
      try expect(error.line >= 1, t, "an error names its line", "\(error.line)")
      try expect(
        !error.message.trimmingSpaces().isEmpty, t, "an error has a message", "\(error)")
    }
    // Text escaping and line folding are undone exactly.
    let sample = String(source.prefix(600))
    // Line breaks (CRLF, CR) come back as LF; control characters other than TAB are dropped.
    var expected = ""
    var previousCR = false
    for u in sample.unicodeScalars {
      defer { previousCR = u == "\r" }
      if u == "\r" || (u == "\n" && !previousCR) {
        expected += "\n"
      } else if u == "\n" || (u != "\t" && (u.value < 0x20 || u.value == 0x7F)) {
        continue
      } else {
        expected.unicodeScalars.append(u)
      }
    }
    let unescaped = ICalendar.unescapeText(ICalendar.escapeText(sample))
    try expect(
      unescaped == expected, t, "unescape(escape(s)) == s with line breaks as LF",
      "\(show(sample)) → \(show(unescaped))")
    let folded = ICalendar.fold("SUMMARY:" + ICalendar.escapeText(sample)) + "\r\n"
    let wrapped = "BEGIN:VCALENDAR\r\n" + folded + "END:VCALENDAR\r\n"
    switch attempt({ () throws(ICalendarError) in try ICalendar.parse(wrapped) }) {
    case .success(let c):
      let value = c.first("SUMMARY")?.value
      try expect(
        value == expected, t, "a folded, escaped property parses back", "\(show(value ?? "nil"))")
    case .failure(let error):
      throw FuzzViolation(t, "a folded, escaped property parses", "\(error) for \(show(sample))")
    }
  }

  static func walk(_ c: ICSComponent, depth: Int) throws(FuzzViolation) {
    try expect(depth < 1000, t, "nesting is bounded", "depth \(depth)")
    for p in c.properties {
      _ = ICalendar.date(p)
      _ = ICalendar.duration(p.value)
    }
    for child in c.components { try walk(child, depth: depth + 1) }
  }
}

// MARK: - XLSX workbooks

/// The input is the inside of a sheet (`<sheetData>`'s rows), then optionally, after a `\u{1}`
/// byte, shared-string items and, after a second one, `<numFmts>`/`<cellXfs>`: packed into a
/// real workbook, so mutations reach the sheet parser instead of breaking the zip. An input
/// that starts with `PK` is taken as a whole .xlsx file.
enum XLSXChecks {
  static let t = FuzzTarget.xlsx

  static func check(_ data: Data) throws(FuzzViolation) {
    let workbook: Data
    if data.starts(with: [0x50, 0x4B]) {
      workbook = data
    } else {
      let parts = data.split(separator: 1, maxSplits: 2, omittingEmptySubsequences: false)
      let rows = text(parts[0])
      let shared = parts.count > 1 ? text(parts[1]).components(separatedBy: "\u{2}") : nil
      let styles = parts.count > 2 ? text(parts[2]) : nil
      do {
        workbook = try XLSXBuilder.workbook(
          sheets: [("Лист1", rows)], sharedStrings: shared, styles: styles,
          date1904: data.count % 7 == 3)
      } catch {
        throw FuzzViolation(t, "the builder packs any text", "\(error)")
      }
    }
    let reader: XLSXReader
    do {
      reader = try XLSXReader(data: workbook, fileName: "fuzz.xlsx")
    } catch {
      try refusal(error)
      return
    }
    let sheet: XLSXSheet
    do {
      sheet = try reader.read()
    } catch {
      try refusal(error)
      try expect(
        error.sheet != nil || error.part != nil, t, "a reading error names the sheet or the part",
        "\(error)")
      return
    }
    var last = 0
    for row in sheet.rows {
      try expect(row.number > last, t, "rows come in order", "\(row.number) after \(last)")
      last = row.number
      try expect(
        row.values.contains { $0 != nil } && row.values.last! != nil, t,
        "a row has a value and ends on one", "\(row)")
      for v in row.values.compactMap({ $0 }) {
        try expect(!v.text.isEmpty, t, "a value has text", "\(v)")
        if case .date(let iso) = v {
          try expect(
            iso.first?.isNumber == true, t, "a date is ISO text", "\(iso)")
        }
      }
    }
    for w in sheet.warnings {
      try expect(!w.cell.isEmpty, t, "a warning names its cell", "\(w)")
      try expectMessage(w.en, w.ru, t, "a warning")
    }
  }

  static func refusal(_ error: XLSXError) throws(FuzzViolation) {
    try expect(error.file == "fuzz.xlsx", t, "an error names the file", "\(error)")
    try expectMessage(error.en, error.ru, t, "an XLSX error")
  }
}
