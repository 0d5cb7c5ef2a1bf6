import CRMCore
import CRMExchange
import Foundation
import GRDB
import GRDBSQLite

/// The Maildir cases: `crm mail sync` of 50,000 messages into a copy of the dataset, the first
/// run (every file read, a fifth logged) and the second (nothing new), against the floor of
/// reading every file into a plain table through the C API (first) and of listing the folders
/// (second).
extension Benchmark {
  /// 50,000 messages in new/ and cur/: 20 % from a client's address of the dataset, 8 % from
  /// the bench user to a client (with a PDF attached), the rest between strangers; plain UTF-8,
  /// koi8-r quoted-printable, windows-1251 base64 and multipart mail, 1–3 KB each.
  func makeMaildir(_ db: CRMDatabase, at dir: String, count: Int = 50_000) throws -> Int {
    var rng = SeededRandom(seed: options.seed ^ 0x3A11)
    let emails = try db.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT e.address FROM email e JOIN client c ON c.id = e.client_id
          WHERE c.deleted_at IS NULL ORDER BY e.id LIMIT 20000
          """)
    }
    let fm = FileManager.default
    try? fm.removeItem(atPath: dir)
    for sub in ["new", "cur", "tmp"] {
      try fm.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
    }
    let words = [
      "счёт", "оплата", "поставка", "договор", "коммерческое", "предложение", "цена", "склад",
      "отгрузка", "акт", "сверка", "заявка", "коробок", "партия", "доставка", "менеджер",
    ]
    func sentence(_ n: Int) -> String {
      (0..<n).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }
        .joined(separator: " ")
    }
    let koi8 = MailCharsetEncoder.koi8r
    for i in 0..<count {
      let roll = Int.random(in: 0..<100, using: &rng)
      var from = "person\(i % 5000)@stranger\(i % 313).example"
      var to = "bench@our.example"
      if roll < 20, !emails.isEmpty {
        from = emails[Int.random(in: 0..<emails.count, using: &rng)]
      } else if roll < 28, !emails.isEmpty {
        from = "Bench <bench@our.example>"
        to = emails[Int.random(in: 0..<emails.count, using: &rng)]
      }
      let day = 1 + i % 28
      var m = """
        Return-Path: <\(from)>\r
        Received: from mx.example (mx.example [192.0.2.1]) by our.example with ESMTP id \(i)\r
        \tfor <\(to)>; Tue, \(day) Dec 2026 10:00:00 +0300\r
        From: \(from)\r
        To: \(to)\r
        Subject: =?utf-8?B?\(Data("Заявка № \(i): \(sentence(3))".utf8).base64EncodedString())?=\r
        Date: Tue, \(day) Dec 2026 \(10 + i % 8):\(10 + i % 50):00 +0300\r
        Message-ID: <\(i).\(roll)@bench.example>\r
        MIME-Version: 1.0\r

        """
      let text = (0..<(3 + i % 10)).map { _ in sentence(8) }.joined(separator: "\r\n")
      switch i % 4 {
      case 0:
        m += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        m += text + "\r\n"
      case 1:
        m += "Content-Type: text/plain; charset=koi8-r\r\n"
        m += "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        m += koi8(text).map { String(format: "=%02X", $0) }.joined() + "\r\n"
      case 2:
        m += "Content-Type: text/plain; charset=windows-1251\r\n"
        m += "Content-Transfer-Encoding: base64\r\n\r\n"
        m +=
          Data(MailCharsetEncoder.cp1251(text)).base64EncodedString(
            options: .lineLength76Characters) + "\r\n"
      default:
        m += "Content-Type: multipart/mixed; boundary=\"b\(i)\"\r\n\r\n--b\(i)\r\n"
        m += "Content-Type: multipart/alternative; boundary=\"a\(i)\"\r\n\r\n--a\(i)\r\n"
        m += "Content-Type: text/plain; charset=utf-8\r\n\r\n\(text)\r\n--a\(i)\r\n"
        m += "Content-Type: text/html; charset=utf-8\r\n\r\n<p>\(text)</p>\r\n--a\(i)--\r\n"
        m += "--b\(i)\r\nContent-Type: application/pdf\r\n"
        m += "Content-Disposition: attachment; filename=\"kp-\(i).pdf\"\r\n"
        m += "Content-Transfer-Encoding: base64\r\n\r\n"
        m +=
          Data(repeating: UInt8(i % 251), count: 600).base64EncodedString(
            options: .lineLength76Characters) + "\r\n--b\(i)--\r\n"
      }
      let name = "\(1_796_000_000 + i).M\(i)P\(i % 977).bench"
      let path = i % 3 == 0 ? "\(dir)/new/\(name)" : "\(dir)/cur/\(name):2,S"
      fm.createFile(atPath: path, contents: Data(m.utf8))
    }
    return count
  }

  /// `crm mail sync` of 50,000 messages, first run and second run, on a fresh copy each time.
  func maildirSync() throws -> [BenchCase] {
    defer { removeScratch() }
    let copy = try scratchCopy()
    let maildir = scratchDirectory + "/Maildir"
    let count = try {
      let db = try CRMDatabase(path: copy)
      defer { try? db.queue.close() }
      return try makeMaildir(db, at: maildir)
    }()
    let pristine = scratchDirectory + "/pristine.sqlite"
    try FileManager.default.copyItem(atPath: copy, toPath: pristine)
    var first: [Double] = []
    var second: [Double] = []
    var firstBound: [Double] = []
    var secondBound: [Double] = []
    var summary: MaildirSync.Summary?
    let reps = options.quick ? 1 : 2
    for _ in 0..<reps {
      for suffix in ["", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: copy + suffix)
      }
      try FileManager.default.copyItem(atPath: pristine, toPath: copy)
      let db = try CRMDatabase(path: copy)
      try db.signIn(login: "bench")  // crm mail sync acts as the signed-in user
      let sync = MaildirSync(
        service: ServiceContext(db: db, language: .ru).mail,
        options: MaildirSync.Options(own: ["bench@our.example"]))
      first.append(try time { summary = try sync.run([maildir]) })
      second.append(try time { _ = try sync.run([maildir]) })
      try db.queue.close()
      firstBound.append(try rawMaildir(maildir, into: copy, read: true))
      secondBound.append(try rawMaildir(maildir, into: copy, read: false))
    }
    let s = summary
    let what =
      "\(count) messages (new/ and cur/) into a copy of \(options.dataset.rawValue): \(s?.logged ?? 0) logged, \(s?.unrelated ?? 0) not about clients"
    return [
      result(
        "Maildir sync of 50,000 messages, first run", ours: first, bound: firstBound,
        note: what + "; bound: every file read and a row per file inserted through the C API"),
      result(
        "Maildir sync of 50,000 messages, second run", ours: second, bound: secondBound,
        note: "nothing new: the folders listed, every name known; bound: the folders listed"),
    ]
  }

  /// Milliseconds to list the Maildir and, with `read`, read every file and insert its name and
  /// size into a plain table in one transaction through the C API.
  func rawMaildir(_ dir: String, into path: String, read: Bool) throws -> Double {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
      throw CRMError.unreadable(path: path, reason: "sqlite3_open_v2 failed")
    }
    defer { sqlite3_close_v2(db) }
    sqlite3_exec(
      db, "DROP TABLE IF EXISTS bench_mail; CREATE TABLE bench_mail (key TEXT, size INTEGER)",
      nil, nil, nil)
    let t = try time {
      var names: [String] = []
      for sub in ["new", "cur"] {
        for n in try FileManager.default.contentsOfDirectory(atPath: dir + "/" + sub) {
          names.append(dir + "/" + sub + "/" + n)
        }
      }
      guard read else { return }
      sqlite3_exec(db, "BEGIN", nil, nil, nil)
      var stmt: OpaquePointer?
      sqlite3_prepare_v2(db, "INSERT INTO bench_mail VALUES (?, ?)", -1, &stmt, nil)
      defer { sqlite3_finalize(stmt) }
      let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
      for n in names {
        let size = FileManager.default.contents(atPath: n)?.count ?? 0
        sqlite3_bind_text(stmt, 1, n, -1, transient)
        sqlite3_bind_int64(stmt, 2, Int64(size))
        sqlite3_step(stmt)
        sqlite3_reset(stmt)
      }
      sqlite3_exec(db, "COMMIT", nil, nil, nil)
    }
    sqlite3_exec(db, "DROP TABLE bench_mail", nil, nil, nil)
    return t
  }
}

/// Cyrillic text in koi8-r and windows-1251, for the generated Maildir (the bench writes mail
/// the way other mailers do; the parser's tables are not used to make its own input).
enum MailCharsetEncoder {
  static func table(_ upper: String) -> [Character: UInt8] {
    var t: [Character: UInt8] = [:]
    for (i, ch) in upper.enumerated() { t[ch] = UInt8(0xC0 + i) }
    return t
  }
  /// koi8-r puts the letters at 0xC0–0xFF in the order юабцдефгхийклмнопярстужвьызшэщчъ.
  static let koi8Table = table(
    "юабцдефгхийклмнопярстужвьызшэщчъЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧЪ")
  static let cp1251Table = table(
    "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя")

  static func encode(_ s: String, _ t: [Character: UInt8], yo: UInt8) -> [UInt8] {
    var out: [UInt8] = []
    for ch in s {
      if let b = t[ch] {
        out.append(b)
      } else if ch == "ё" {
        out.append(yo)
      } else {
        out += Array(String(ch).utf8.prefix(1)).map { $0 < 0x80 ? $0 : 0x3F }
      }
    }
    return out
  }

  static func koi8r(_ s: String) -> [UInt8] { encode(s, koi8Table, yo: 0xA3) }
  static func cp1251(_ s: String) -> [UInt8] { encode(s, cp1251Table, yo: 0xB8) }
}
