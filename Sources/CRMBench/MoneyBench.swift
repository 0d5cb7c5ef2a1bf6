import CRMCore
import CRMExchange
import Foundation
import GRDB

/// The money cases: importing a bank statement of 10,000 documents and reconciling 100,000
/// payments. The import writes, so it runs on a copy of the dataset (the cached file stays as
/// built); statements are generated from the dataset with a fixed seed.
/// `YYYY-MM-DD` as a statement's day.
func bankDate(_ iso: String) -> BankDate? {
  let p = iso.split(separator: "-").compactMap { Int($0) }
  return p.count == 3 ? BankDate(year: p[0], month: p[1], day: p[2]) : nil
}

extension Benchmark {
  var scratchDirectory: String { NSTemporaryDirectory() + "crm-bench-money-\(getpid())" }

  /// A copy of the dataset (or of `source`) named `name` in the scratch directory, for cases
  /// that write.
  func scratchCopy(of source: String? = nil, as name: String = "dataset.sqlite") throws -> String {
    try FileManager.default.createDirectory(
      atPath: scratchDirectory, withIntermediateDirectories: true)
    let copy = scratchDirectory + "/" + name
    try? FileManager.default.removeItem(atPath: copy)
    try FileManager.default.copyItem(atPath: source ?? path, toPath: copy)
    return copy
  }

  func removeScratch() { try? FileManager.default.removeItem(atPath: scratchDirectory) }

  /// 10,000 incoming documents: 60 % from known clients quoting one of their unpaid invoices or
  /// nothing, 25 % from known clients with a contract number, 15 % from unknown payers; plus the
  /// header, balances, CP1251 and CRLF of a real file.
  func statement10k(_ db: CRMDatabase, file: String) throws -> Int {
    var rng = SeededRandom(seed: options.seed ^ 0xBA4C)
    let (clients, invoices, contracts) = try db.read { db in
      (
        try Row.fetchAll(
          db,
          sql:
            "SELECT inn, kpp, name FROM client WHERE inn <> '' AND deleted_at IS NULL LIMIT 20000"
        ).map { ($0["inn"] as String, $0["kpp"] as String, $0["name"] as String) },
        try Row.fetchAll(
          db,
          sql: """
            SELECT i.number, i.date, i.total - i.paid AS owed, cl.inn, cl.kpp, cl.name
            FROM invoice i JOIN client cl ON cl.id = i.client_id
            WHERE i.status = 'issued' AND i.paid < i.total LIMIT 5000
            """
        ).map {
          (
            $0["number"] as String, $0["date"] as String, $0["owed"] as Int64,
            $0["inn"] as String, $0["kpp"] as String, $0["name"] as String
          )
        },
        try Row.fetchAll(
          db,
          sql: """
            SELECT k.number, cl.inn, cl.kpp, cl.name FROM contract k
            JOIN client cl ON cl.id = k.client_id LIMIT 5000
            """
        ).map {
          ($0["number"] as String, $0["inn"] as String, $0["kpp"] as String, $0["name"] as String)
        }
      )
    }
    guard !clients.isEmpty else { return 0 }
    let day = BankDate(year: 2026, month: 11, day: 16)!
    var drafts: [BankStatementWriter.Draft] = []
    for n in 0..<10_000 {
      let roll = Double.random(in: 0..<1, using: &rng)
      var inn: String
      var kpp: String
      var name: String
      var purpose: String
      var amount = Int64.random(in: 1_000...900_000, using: &rng) * 100
      if roll < 0.3, !invoices.isEmpty {
        let i = invoices[Int.random(in: 0..<invoices.count, using: &rng)]
        (inn, kpp, name) = (i.3, i.4, i.5)
        amount = max(100, i.2)
        purpose = "Оплата по счету № \(i.0) от \(OfferService.displayDay(i.1, .ru)), в т.ч. НДС"
      } else if roll < 0.6 {
        let c = clients[Int.random(in: 0..<clients.count, using: &rng)]
        (inn, kpp, name) = c
        purpose = "Оплата за услуги, НДС не облагается"
      } else if roll < 0.85, !contracts.isEmpty {
        let k = contracts[Int.random(in: 0..<contracts.count, using: &rng)]
        (inn, kpp, name) = (k.1, k.2, k.3)
        purpose = "Аванс по договору № \(k.0)"
      } else {
        inn = Requisites.completeINN((0..<9).map { _ in Int.random(in: 0...9, using: &rng) })
        kpp = "770101001"
        name = "ООО Неизвестный плательщик \(n)"
        purpose = "Оплата по счету № \(n) от 01.11.2026"
      }
      drafts.append(
        BankStatementWriter.Draft(
          number: String(100_000 + n), date: day, amount: amount,
          payerAccount: "40702810001230000777", payerName: name, payerINN: inn, payerKPP: kpp,
          payeeAccount: DemoData.demoAccount, payeeName: "ООО Ромашка", payeeINN: "7701234560",
          payeeKPP: "770101001", dateReceived: day, purpose: purpose))
    }
    let data = BankStatementWriter.write(
      sender: "СберБизнес", accounts: [DemoData.demoAccount], from: day, to: day,
      documents: drafts, encoding: .cp1251)
    try data.write(to: URL(fileURLWithPath: file))
    return drafts.count
  }

  /// `crm import bank` of 10,000 documents: read and decode the file, match every document and
  /// write the payments, allocations and history in one transaction. Bound: the matcher's reads
  /// (client by ИНН, the document identity) through the C API.
  func bankImport() throws -> BenchCase {
    defer { removeScratch() }
    let copy = try scratchCopy()
    let db = try CRMDatabase(path: copy)
    try db.signIn(login: "bench")  // the import acts as the bench user, as crm would
    let money = MoneyService(
      ServiceContext(db: db, language: .ru, timeZone: TimeZone(identifier: "UTC")!))
    let file = scratchDirectory + "/statement-10k.txt"
    let documents = try statement10k(db, file: file)
    let statement = try BankStatementReader.read(contentsOf: URL(fileURLWithPath: file))
    let records = BankImport.records(statement)
    let raw = try RawSQLite(path: copy)
    var last: BankImportReport?
    let (ours, bound) = try sampled(warmup: 1, runs: options.quick ? 3 : 5) { _ in
      let marks = try db.read { db in
        (
          try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_set") ?? 0,
          try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM audit") ?? 0
        )
      }
      let t = try time {
        let s = try BankStatementReader.read(contentsOf: URL(fileURLWithPath: file))
        last = try money.importBank(
          BankImport.records(s), file: "statement-10k.txt", encoding: s.encoding.rawValue)
      }
      let b = try time {
        for r in records {
          try raw.run(
            SQLStatement(
              sql:
                "SELECT id, name, legal_form, kpp FROM client WHERE inn = ? AND inn <> '' AND deleted_at IS NULL",
              arguments: [.text(r.payerINN)]))
          try raw.run(
            SQLStatement(
              sql: "SELECT id FROM payment WHERE bank_key = ?", arguments: [.text(r.key)]))
        }
      }
      // Put the copy back as it was: allocations first (their triggers restore the invoices'
      // paid sums), then the payments and the history, with foreign-key checks off (the history
      // has no index for them, and nothing else points at these rows).
      try db.queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA foreign_keys = OFF")
        try db.inTransaction {
          try db.execute(
            sql: """
              DELETE FROM allocation WHERE payment_id IN
                (SELECT id FROM payment WHERE import_id IS NOT NULL)
              """)
          try db.execute(sql: "DELETE FROM payment WHERE import_id IS NOT NULL")
          try db.execute(sql: "DELETE FROM bank_import")
          try db.execute(sql: "DELETE FROM audit WHERE id > ?", arguments: [marks.1])
          try db.execute(sql: "DELETE FROM change_set WHERE id > ?", arguments: [marks.0])
          return .commit
        }
        try db.execute(sql: "PRAGMA foreign_keys = ON")
      }
      return (t, b)
    }
    let r = last
    return result(
      "bank statement, 10,000 documents", ours: ours, bound: bound,
      note:
        "\(documents) documents, CP1251: \(r?.matched ?? 0) matched, \(r?.created ?? 0) created, \(r?.queued ?? 0) queued; bound: the matcher's lookups"
    )
  }

  /// `crm report reconcile` of every bank payment in the dataset (100,000 on M) against a
  /// statement of the same payments with 1 % of amounts, 1 % of dates changed, 1 % missing and
  /// 500 extra documents: read the file, scan the CRM's payments, pair both sides. Bound: the
  /// scan of the payments through the C API.
  func reconciliation(_ db: CRMDatabase) throws -> BenchCase {
    defer { removeScratch() }
    try FileManager.default.createDirectory(
      atPath: scratchDirectory, withIntermediateDirectories: true)
    var rng = SeededRandom(seed: options.seed ^ 0x5EC0)
    let rows = try db.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT number, date, amount, payer_inn, payer_kpp, payer_name, payer_account, purpose
          FROM payment WHERE source = 'bank' ORDER BY date, id
          """)
    }
    var drafts: [BankStatementWriter.Draft] = []
    for r in rows {
      let roll = Double.random(in: 0..<1, using: &rng)
      if roll < 0.01 { continue }
      guard let day = bankDate(r["date"]) else { continue }
      var amount: Int64 = r["amount"]
      if roll < 0.02 { amount += 100 }
      // 1 % arrive a day later than the CRM says (same document: the date differs).
      let received =
        roll >= 0.02 && roll < 0.03 ? (bankDate(MoneyService.addDays(r["date"], 1)) ?? day) : day
      drafts.append(
        BankStatementWriter.Draft(
          number: r["number"], date: day, amount: amount, payerAccount: r["payer_account"],
          payerName: r["payer_name"], payerINN: r["payer_inn"], payerKPP: r["payer_kpp"],
          payeeAccount: DemoData.demoAccount, payeeName: "ООО Ромашка", payeeINN: "7701234560",
          payeeKPP: "770101001", dateReceived: received, purpose: r["purpose"]))
    }
    for n in 0..<500 {
      let day = BankDate(year: 2026, month: 10, day: 1 + n % 28)!
      drafts.append(
        BankStatementWriter.Draft(
          number: String(900_000 + n), date: day, amount: 1_000_00,
          payerAccount: "40702810001230000777", payerName: "ООО Вне CRM", payerINN: "7707083893",
          payerKPP: "773601001", payeeAccount: DemoData.demoAccount, payeeName: "ООО Ромашка",
          payeeINN: "7701234560", payeeKPP: "770101001", dateReceived: day, purpose: "Оплата"))
    }
    let days = rows.compactMap { bankDate($0["date"]) }
    guard let first = days.min(), let last = days.max() else {
      return result("reconciliation of 100,000 payments", ours: [], bound: nil, note: "no payments")
    }
    let file = scratchDirectory + "/statement-all.txt"
    try BankStatementWriter.write(
      sender: "СберБизнес", accounts: [DemoData.demoAccount], from: first, to: last,
      documents: drafts, encoding: .cp1251
    ).write(to: URL(fileURLWithPath: file))
    let money = MoneyService(
      ServiceContext(db: db, language: .ru, timeZone: TimeZone(identifier: "UTC")!))
    let raw = try RawSQLite(path: path)
    var report: ReconciliationReport?
    let (ours, bound) = try sampled(warmup: 1, runs: options.quick ? 3 : 7) { _ in
      let t = try time {
        let s = try BankStatementReader.read(contentsOf: URL(fileURLWithPath: file))
        report = try money.reconcile(
          bank: BankImport.accountingPayments(s), from: first.iso, to: last.iso,
          accounts: s.ourAccounts)
      }
      let b = try time {
        try raw.run(
          SQLStatement(
            sql: """
              SELECT p.id, p.client_id, p.number, p.date, p.amount, p.bank_key, p.payer_inn,
                p.payer_name, p.account, cl.inn, cl.name, cl.legal_form
              FROM payment p LEFT JOIN client cl ON cl.id = p.client_id
              WHERE p.source = 'bank' AND p.state <> 'ignored' AND p.date BETWEEN ? AND ?
              """, arguments: [.text(first.iso), .text(last.iso)]))
      }
      return (t, b)
    }
    let r = report
    return result(
      "reconciliation of 100,000 payments", ours: ours, bound: bound,
      note:
        "\(rows.count) CRM payments vs \(drafts.count) documents: \(r?.count(.matched, .payment) ?? 0) matched, \(r?.count(.amountDiffers, .payment) ?? 0) amount, \(r?.count(.dateDiffers, .payment) ?? 0) date, \(r?.count(.onlyCRM, .payment) ?? 0) only CRM, \(r?.count(.onlyAccounting, .payment) ?? 0) only accounting; bound: the payments scan"
    )
  }
}
