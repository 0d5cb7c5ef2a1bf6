import CRMCore
import CRMExchange
import Foundation
import GRDB
import GRDBSQLite

/// The CSV import case: 100,000 clients into a copy of the dataset, as `crm import csv` does
/// it, against the floor of loading the same file into a plain table through the C API (what
/// `sqlite3 .import` does).
extension Benchmark {
  static let importColumns = [
    "Наименование", "ИНН", "КПП", "Телефон", "E-mail", "Город", "Юридический адрес", "Сегмент",
    "Ответственный", "Источник", "Теги", "Контактное лицо", "Должность", "Комментарий",
  ]

  /// 100,000 rows, `;`, UTF-8, CRLF: 5 % repeat a client of the dataset (its ИНН or its phone),
  /// 1 % are invalid (a wrong ИНН check digit or a broken e-mail), the rest are new companies
  /// with a valid ИНН, a phone, an e-mail, a contact person, an owner of the dataset and tags.
  func importFile(_ db: CRMDatabase, file: String, rows: Int = 100_000) throws -> Int {
    var rng = SeededRandom(seed: options.seed ^ 0x1C5F)
    let (existing, owners) = try db.read { db in
      (
        try Row.fetchAll(
          db,
          sql: """
            SELECT c.name, c.inn, (SELECT raw FROM phone p WHERE p.client_id = c.id LIMIT 1) AS phone
            FROM client c WHERE c.deleted_at IS NULL AND c.inn <> '' ORDER BY c.id LIMIT 20000
            """
        ).map { ($0["name"] as String, $0["inn"] as String, ($0["phone"] as String?) ?? "") },
        try String.fetchAll(db, sql: "SELECT login FROM app_user ORDER BY id")
      )
    }
    let syllables = [
      "ал", "бер", "вес", "гор", "дон", "ер", "жем", "зар", "ис", "кам", "лот", "мир", "нор",
      "ост", "пар", "рус", "сол", "тур", "уг", "фар", "хим", "цен", "чер", "шат", "эль", "юг",
      "ян",
    ]
    let cities = ["Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург", "Тула"]
    let segments = ["A", "B", "C", "Опт", "Розница"]
    let first = ["Иван", "Пётр", "Анна", "Мария", "Олег", "Елена", "Сергей", "Ольга"]
    let last = ["Иванов", "Петрова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев"]
    func digits(_ n: Int) -> [Int] { (0..<n).map { _ in Int.random(in: 0...9, using: &rng) } }
    var text = Self.importColumns.joined(separator: ";") + "\r\n"
    text.reserveCapacity(rows * 260)
    for i in 0..<rows {
      let roll = Int.random(in: 0..<100, using: &rng)
      var name =
        (0..<3).map { _ in syllables[Int.random(in: 0..<syllables.count, using: &rng)] }.joined()
      name = name.prefix(1).uppercased() + name.dropFirst() + " \(i)"
      var inn = Requisites.completeINN([7, 7] + digits(7))
      var phone =
        "+7 9\(digits(2).map(String.init).joined()) \(100 + i % 900)-\(10 + i % 90)-\(10 + (i / 90) % 90)"
      var email = "info\(i)@example\(i % 97).ru"
      if roll < 3, !existing.isEmpty {
        let e = existing[Int.random(in: 0..<existing.count, using: &rng)]
        (name, inn) = (e.0, e.1)
      } else if roll < 5, !existing.isEmpty {
        let e = existing[Int.random(in: 0..<existing.count, using: &rng)]
        if !e.2.isEmpty { phone = e.2 }
        inn = ""
      } else if roll == 5 {
        inn = String(inn.dropLast()) + String((Int(String(inn.last!))! + 1) % 10)
      } else if roll == 6 {
        email = "broken@"
      }
      let person = first[i % first.count] + " " + last[(i / 8) % last.count]
      let fields = [
        "ООО «\(name)»", inn, inn.isEmpty ? "" : "7701\(10 + i % 90)001", phone, email,
        cities[i % cities.count], "г. \(cities[i % cities.count]), ул. Ленина, д. \(1 + i % 200)",
        segments[i % segments.count], owners.isEmpty ? "" : owners[i % owners.count],
        "выставка", i % 3 == 0 ? "vip, опт" : "опт", person, "директор",
        i % 10 == 0 ? "Перенесён из старой базы" : "",
      ]
      text += fields.joined(separator: ";") + "\r\n"
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    return rows
  }

  /// `crm import csv` of 100,000 rows into a fresh copy of the dataset each time.
  func csvImport() throws -> BenchCase {
    defer { removeScratch() }
    let copy = try scratchCopy()
    let file = scratchDirectory + "/clients-100k.csv"
    let rows = try {
      let db = try CRMDatabase(path: copy)
      defer { try? db.queue.close() }
      return try importFile(db, file: file)
    }()
    let pristine = scratchDirectory + "/pristine.sqlite"
    try FileManager.default.copyItem(atPath: copy, toPath: pristine)
    var ours: [Double] = []
    var bound: [Double] = []
    var last: ImportReport?
    let reps = options.quick ? 1 : 3
    for _ in 0..<reps {
      for suffix in ["", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: copy + suffix)
      }
      try FileManager.default.copyItem(atPath: pristine, toPath: copy)
      let db = try CRMDatabase(path: copy)
      try db.signIn(login: "bench")  // the import acts as the bench user, as crm would
      let service = ClientImportService(ServiceContext(db: db, language: .ru))
      ours.append(
        try time {
          let reader = try ClientCSVReader(
            url: URL(fileURLWithPath: file), options: ClientCSVOptions(language: .ru))
          last = try service.run(
            options: ImportOptions(format: "csv", fileName: "clients-100k.csv"),
            next: { try reader.next() })
        })
      try db.queue.close()
      bound.append(try rawImport(file: file, into: copy))
    }
    let r = last
    return result(
      "CSV import of 100,000 clients", ours: ours, bound: bound,
      note:
        "\(rows) rows into a copy of \(options.dataset.rawValue): \(r?.created ?? 0) new, \(r?.duplicates ?? 0) duplicates, \(r?.rejected ?? 0) rejected; bound: the same file into a plain table through the C API (sqlite3 .import)"
    )
  }

  /// Milliseconds to read the file and insert every record's fields into a fresh table of text
  /// columns in one transaction, through the bare C API with one prepared statement.
  func rawImport(file: String, into path: String) throws -> Double {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
      throw CRMError.unreadable(path: path, reason: "sqlite3_open_v2 failed")
    }
    defer { sqlite3_close_v2(db) }
    let columns = Self.importColumns.count
    let cols = (1...columns).map { "c\($0) TEXT" }.joined(separator: ", ")
    sqlite3_exec(
      db, "DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (\(cols))", nil, nil, nil)
    let t = try time {
      let data = try Data(contentsOf: URL(fileURLWithPath: file))
      sqlite3_exec(db, "BEGIN", nil, nil, nil)
      var stmt: OpaquePointer?
      let marks = Array(repeating: "?", count: columns).joined(separator: ", ")
      sqlite3_prepare_v2(db, "INSERT INTO bench_raw VALUES (\(marks))", -1, &stmt, nil)
      defer { sqlite3_finalize(stmt) }
      let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
      data.withUnsafeBytes { raw in
        let b = raw.bindMemory(to: UInt8.self)
        guard let base = b.baseAddress else { return }
        var start = 0
        var field = 1
        var header = true
        for i in 0..<b.count {
          let c = b[i]
          if c == 0x3B || c == 0x0A {
            var end = i
            if c == 0x0A && end > start && b[end - 1] == 0x0D { end -= 1 }
            if !header {
              sqlite3_bind_text(stmt, Int32(field), base + start, Int32(end - start), transient)
            }
            start = i + 1
            field += 1
            if c == 0x0A {
              if !header {
                sqlite3_step(stmt)
                sqlite3_reset(stmt)
              }
              header = false
              field = 1
            }
          }
        }
      }
      sqlite3_exec(db, "COMMIT", nil, nil, nil)
    }
    sqlite3_exec(db, "DROP TABLE bench_raw", nil, nil, nil)
    return t
  }
}
