import CRMCore
import Foundation
import GRDB

/// The client-base cases: ABC/XYZ over the dataset's clients with ten payments a client over two
/// years (a derived dataset, cached beside the main one), and the completeness report.
extension Benchmark {
  /// The snapshot day of the classification case: the dataset's "now".
  static let classDay = "2026-11-18"

  /// The dataset plus payments up to ten per client over the two years before `classDay`, with
  /// a fixed seed: a fifth of the clients never pay, a sixth pay once, the rest pay in a share of
  /// the months with amounts that vary by client. Built once on a copy, then reused.
  func classesDataset() throws -> String {
    let file = datasetFile("classes-")
    if FileManager.default.fileExists(atPath: file) { return file }
    try build(
      file, copying: path,
      note: "building the ABC/XYZ dataset: \(options.dataset.clients * 10) payments…"
    ) { db in
      try Self.addPayments(db, perClient: 10, seed: options.seed)
    }
    return file
  }

  /// Tops the payments up to `perClient` × live clients, in one transaction with one prepared
  /// statement.
  static func addPayments(_ db: CRMDatabase, perClient: Int, seed: UInt64) throws {
    var rng = SeededRandom(seed: seed ^ 0xABC)
    try db.write { db in
      let ids = try Int64.fetchAll(
        db, sql: "SELECT id FROM client WHERE deleted_at IS NULL ORDER BY id")
      let have = try Int.fetchOne(db, sql: "SELECT count(*) FROM payment") ?? 0
      var left = Swift.max(0, ids.count * perClient - have)
      let insert = try db.makeStatement(
        sql: """
          INSERT INTO payment (client_id, source, state, date, amount, currency, created_at,
            updated_at)
          VALUES (?, 'cash', 'assigned', ?, ?, 'RUB', 0, 0)
          """)
      // 24 months back from 2026-11: month m (0 = November 2026).
      let months = (0..<24).map { m -> String in
        let index = 2026 * 12 + 10 - m
        return String(format: "%04d-%02d", index / 12, index % 12 + 1)
      }
      var i = 0
      while left > 0 {
        let id = ids[i % ids.count]
        i += 1
        let roll = Int.random(in: 0..<30, using: &rng)
        let count: Int
        if roll < 6 {
          continue  // never pays
        } else if roll < 11 {
          count = 1
        } else {
          count = Int.random(in: 6...24, using: &rng)
        }
        let base = Int64.random(in: 5_000...500_000, using: &rng) * 100
        let spread = Int64.random(in: 0...80, using: &rng)
        for k in 0..<Swift.min(count, left) {
          let m = count >= 24 ? k : Int.random(in: 0..<24, using: &rng)
          let day =
            m == 0 ? Int.random(in: 1...18, using: &rng) : Int.random(in: 1...28, using: &rng)
          let amount = Swift.max(
            100, base + base * Int64.random(in: -spread...spread, using: &rng) / 100)
          try insert.execute(arguments: [id, months[m] + String(format: "-%02d", day), amount])
        }
        left -= Swift.min(count, left)
      }
    }
  }

  /// `crm classify` on the derived dataset: the grouped pass over the payments, the classes,
  /// the snapshot written (the previous one is removed between runs). Bound: the same pass
  /// through the C API, reading every row.
  func classification() throws -> BenchCase {
    let source = try classesDataset()
    let copy = try scratchCopy(of: source, as: "classes.sqlite")
    defer { removeScratch() }
    let db = try CRMDatabase(path: copy)
    let (payments, clients) = try db.read { db in
      (
        try Int.fetchOne(db, sql: "SELECT count(*) FROM payment") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM client WHERE deleted_at IS NULL") ?? 0
      )
    }
    let service = ClassificationService(ServiceContext(db: db, language: .ru))
    let raw = try RawSQLite(path: copy)
    let scan = SQLStatement(
      sql: """
        SELECT client_id, date, amount FROM payment INDEXED BY payment_revenue
        WHERE state = 'assigned' AND currency = 'RUB' AND client_id IS NOT NULL
          AND date > ? AND date <= ? ORDER BY client_id
        """, arguments: [.text("2025-11-18"), .text(Self.classDay)])
    var counts = ""
    let (ours, bound) = try sampled(warmup: 1, runs: options.quick ? 3 : 7) { _ in
      try db.write { try $0.execute(sql: "DELETE FROM class_run") }
      var outcome: ClassificationService.Outcome?
      let t = try time { outcome = try service.classify(day: Self.classDay) }
      let b = try time { _ = try raw.run(scan) }
      if let o = outcome {
        counts =
          "A \(o.abc[0].clients) B \(o.abc[1].clients) C \(o.abc[2].clients); "
          + o.xyz.map { "\($0.name) \($0.clients)" }.joined(separator: " ")
      }
      return (t, b)
    }
    return result(
      "ABC/XYZ", ours: ours, bound: bound,
      note:
        "\(clients) clients, \(payments) payments over 2 years, 12 months classified, snapshot written (\(counts)); bound: the payment scan"
    )
  }

  /// The completeness report as `crm report completeness` and the Reports screen read it: fill
  /// rates over the base and the bench user's clients, the incomplete count and the first page
  /// of the least complete clients.
  func completenessReport(_ db: CRMDatabase) throws -> BenchCase {
    let fields = Completeness.Field.defaults
    let mine = try db.user(login: "bench")?.id
    var ours: [Double] = []
    var note = ""
    let reps = options.quick ? 3 : 7
    for i in 0..<(1 + reps) {
      var summary: Completeness.Summary?
      var rows: [Completeness.Row] = []
      var incomplete = 0
      let t = try time {
        summary = try Completeness.summary(db, fields: fields, mine: mine)
        rows = try Completeness.incomplete(db, fields: fields, limit: 20)
      }
      incomplete = (summary?.clients ?? 0) - (summary?.complete ?? 0)
      note =
        "\(summary?.clients ?? 0) clients, \(fields.count) fields, \(incomplete) incomplete, first page of \(rows.count)"
      if i >= 1 { ours.append(t) }
    }
    return result("completeness report", ours: ours, bound: nil, note: note)
  }
}
