import CRMCore
import CRMExchange
import Foundation

/// What a client reader produced from a file: its items up to the first file error.
struct ImportRead: Equatable {
  var items: [ImportItem] = []
  var error: ImportFileError?
  var rows: [ImportRow] {
    items.compactMap { if case .row(let r) = $0 { r } else { nil } }
  }
}

/// At most this many items are read from one input.
let maxItems = 5000

func checkItems(_ r: ImportRead, _ t: FuzzTarget) throws(FuzzViolation) {
  if let e = r.error {
    try expect(e.line >= 0, t, "file error line ≥ 0", "line \(e.line)")
    try expectMessage(e.en, e.ru, t, "a file error")
  }
  for item in r.items {
    switch item {
    case .row(let row):
      try expect(row.line > 0, t, "a row names its line", "line \(row.line)")
      try expect(
        !row.client.name.trimmingSpaces().isEmpty, t, "a row has a name", show(row.client.name))
    case .rejected(let issue):
      try expect(issue.line > 0, t, "a rejected row names its line", "line \(issue.line)")
      try expect(
        !issue.reason.trimmingSpaces().isEmpty, t, "a rejected row says why", "empty reason")
    }
  }
}

// MARK: - CSV

enum CSVChecks {
  static let t = FuzzTarget.csv

  static func read(
    _ data: Data, _ options: ClientCSVOptions, chunk: Int = ClientCSVReader.chunkSize
  )
    throws(FuzzViolation) -> (ImportRead, ClientCSVReader?)
  {
    var out = ImportRead()
    var reader: ClientCSVReader?
    do {
      let r = try ClientCSVReader(data: data, options: options, chunkSize: chunk)
      reader = r
      while out.items.count < maxItems, let item = try r.next() { out.items.append(item) }
    } catch let e as ImportFileError {
      out.error = e
    } catch {
      throw FuzzViolation(t, "fails only with ImportFileError", "\(type(of: error)): \(error)")
    }
    return (out, reader)
  }

  static func check(_ data: Data) throws(FuzzViolation) {
    let options = ClientCSVOptions(language: .en)
    let (first, reader) = try read(data, options)
    try checkItems(first, t)
    // Streaming: 5-byte chunks (with the encoding and delimiter the whole-file read settled on)
    // read the same items as one chunk.
    if let reader, data.count <= 2048 {
      let fixed = ClientCSVOptions(
        encoding: reader.encoding, delimiter: reader.delimiter, language: .en)
      let (whole, _) = try read(data, fixed)
      let (chunked, _) = try read(data, fixed, chunk: 5)
      try expect(
        whole == chunked, t, "5-byte chunks read what one chunk reads",
        "whole \(summary(whole))\nchunked \(summary(chunked))")
    }
    // Round trip: what the writer writes for each row reads back as that row.
    for row in first.rows.prefix(50) {
      let back = try roundTrip(row)
      try expect(
        same(row, back), t, "writer → reader gives the row back",
        "read \(describe(row))\nback \(describe(back))")
    }
  }

  static func roundTrip(_ row: ImportRow) throws(FuzzViolation) -> ImportRow {
    let file =
      ClientCSVWriter.begin()
      + ClientCSVWriter.row(row.client, persons: row.persons, ownerLogin: row.ownerLogin ?? "")
    let (r, _) = try read(file, ClientCSVOptions(language: .en))
    guard r.error == nil, r.items.count == 1, let back = r.rows.first else {
      throw FuzzViolation(
        t, "the writer's file reads back as one row",
        "row \(describe(row))\nfile \(show(text(file), 800))\nread \(summary(r))")
    }
    return back
  }

  static func same(_ a: ImportRow, _ b: ImportRow) -> Bool {
    a.client == b.client && a.persons == b.persons && (a.ownerLogin ?? "") == (b.ownerLogin ?? "")
  }
}

func summary(_ r: ImportRead) -> String {
  let items = r.items.prefix(5).map { item -> String in
    switch item {
    case .row(let row): return describe(row)
    case .rejected(let i): return "rejected(line \(i.line), \(show(i.field)), \(show(i.reason)))"
    }
  }
  return "\(r.items.count) items \(items) error \(r.error.map { "\($0.line): \($0.en)" } ?? "none")"
}

func describe(_ r: ImportRow) -> String {
  "row(line \(r.line), client \(r.client), persons \(r.persons), owner \(r.ownerLogin ?? "nil"))"
}

// MARK: - vCard

enum VCardChecks {
  static let t = FuzzTarget.vcard

  static func read(_ data: Data) throws(FuzzViolation) -> ImportRead {
    var out = ImportRead()
    let r = VCardReader(data: data, language: .en)
    do {
      while out.items.count < maxItems, let item = try r.next() { out.items.append(item) }
    } catch let e as ImportFileError {
      out.error = e
    } catch {
      throw FuzzViolation(t, "fails only with ImportFileError", "\(type(of: error)): \(error)")
    }
    for w in r.warnings {
      try expect(!w.reason.trimmingSpaces().isEmpty, t, "a warning says why", "empty reason")
    }
    return out
  }

  static func check(_ data: Data) throws(FuzzViolation) {
    let first = try read(data)
    try checkItems(first, t)
    // A card read from the writer's output (the client's card and its persons' cards) is
    // written again identically (a fixed point after one pass), and the fields a vCard carries
    // survive the first pass, contact persons included.
    for row in first.rows.prefix(20) {
      let once = try roundTrip(row)
      let twice = try roundTrip(once)
      try expect(
        once.client == twice.client && once.persons == twice.persons, t,
        "writer → reader is stable after one pass",
        "once \(describe(once))\ntwice \(describe(twice))")
      try expect(
        once.persons.map(\.name) == row.persons.map(\.name)
          && once.persons.map(\.emails) == row.persons.map(\.emails)
          && once.persons.map { $0.phones.map(\.raw) } == row.persons.map { $0.phones.map(\.raw) },
        t, "writer → reader keeps the contact persons",
        "read \(describe(row))\nback \(describe(once))")
      if row.persons.isEmpty {
        let a = row.client
        let b = once.client
        try expect(
          a.displayName == b.displayName && a.inn == b.inn && a.kpp == b.kpp && a.ogrn == b.ogrn
            && a.website == b.website && a.tags == b.tags && a.notes == b.notes
            && a.city == b.city && a.phones.map(\.raw) == b.phones.map(\.raw)
            && a.emails == b.emails,
          t, "writer → reader keeps name, requisites, phones, e-mails, tags, notes, city",
          "read \(describe(row))\nback \(describe(once))")
      }
    }
  }

  static func roundTrip(_ row: ImportRow) throws(FuzzViolation) -> ImportRow {
    let file = VCardWriter.card(
      ExportedClient(client: row.client, persons: row.persons, ownerLogin: row.ownerLogin ?? ""))
    let r = try read(file)
    guard r.error == nil, r.items.count == 1, let back = r.rows.first else {
      throw FuzzViolation(
        t, "the writer's card reads back as one row",
        "row \(describe(row))\nfile \(show(text(file), 800))\nread \(summary(r))")
    }
    return back
  }
}
