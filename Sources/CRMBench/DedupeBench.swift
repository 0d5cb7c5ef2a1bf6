import CRMCore
import Foundation

/// The duplicate scan over the whole dataset: every live client's keys read, blocked and the
/// candidate pairs scored. The bound is reading the same rows through the bare C API.
extension Benchmark {
  func duplicateScan(_ db: CRMDatabase) throws -> BenchCase {
    let finder = DuplicateFinder(ServiceContext(db: db, language: .ru))
    let raw = try RawSQLite(path: path)
    var pairs: [DuplicatePair] = []
    let (ours, bound) = try sampled(warmup: 1, runs: options.quick ? 2 : 4) { _ in
      let t = try time { pairs = try finder.scan(.client, minScore: 70) }
      let b = try time {
        for sql in [
          "SELECT id, name, legal_form, inn, match_key FROM client WHERE deleted_at IS NULL",
          "SELECT client_id, e164 FROM phone WHERE e164 IS NOT NULL AND client_id IS NOT NULL",
          "SELECT client_id, address_key FROM email WHERE client_id IS NOT NULL",
        ] {
          _ = try raw.run(SQLStatement(sql: sql, arguments: []))
        }
      }
      return (t, b)
    }
    let strong = pairs.filter { $0.score >= 90 }.count
    let conflicting = pairs.filter(\.conflictingINN).count
    return result(
      "duplicate scan of \(clientCountText(db)) clients", ours: ours, bound: bound,
      note: "\(pairs.count) pairs ≥ 70 (\(strong) ≥ 90, \(conflicting) with different ИНН)")
  }

  func clientCountText(_ db: CRMDatabase) -> String {
    let n =
      (try? db.read {
        try Int.fetchOne($0, sql: "SELECT value FROM counter WHERE name = 'live_clients'")
      }) ?? nil
    let f = NumberFormatter()
    f.numberStyle = .decimal
    f.groupingSeparator = ","
    return f.string(from: NSNumber(value: n ?? 0)) ?? "\(n ?? 0)"
  }
}
