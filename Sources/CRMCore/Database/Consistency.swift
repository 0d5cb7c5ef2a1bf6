import Foundation
import GRDB

/// The deep half of `crm check`: the search index compared with the tables row by row.
///
/// `check()` compares counts, which is enough to notice a lost or doubled batch; this compares
/// what each client's index row holds with what the tables say it must hold, so an index row
/// left behind by a half-applied change, or one missing its new phone, is found too.
extension CRMDatabase {
  /// Problems of the search index: live clients without a row, rows of clients that are gone
  /// or in the trash, and rows whose text differs from the tables. `clientIds` limits the text
  /// comparison to those clients (the presence checks always cover the whole base); nil
  /// compares every live client, read in pages of `pageSize` so memory stays flat on a large
  /// base. At most `limit` problems of each kind are listed.
  public func checkSearchIndex(
    clientIds: [Int64]? = nil, limit: Int = 20, pageSize: Int = 2_000
  ) throws(CRMError) -> [String] {
    try read { db in
      var problems: [String] = []
      let missing = try Int64.fetchAll(
        db,
        sql: """
          SELECT c.id FROM client c
          WHERE c.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM client_fts f WHERE f.rowid = c.id)
          ORDER BY c.id LIMIT ?
          """, arguments: [limit])
      for id in missing { problems.append("search index: client \(id) has no row") }
      let extra = try Int64.fetchAll(
        db,
        sql: """
          SELECT f.rowid FROM client_fts f
          WHERE NOT EXISTS (SELECT 1 FROM client c WHERE c.id = f.rowid AND c.deleted_at IS NULL)
          ORDER BY f.rowid LIMIT ?
          """, arguments: [limit])
      for id in extra {
        problems.append("search index: row \(id) belongs to no live client")
      }
      var differing = 0
      func compare(_ id: Int64) throws {
        guard differing < limit, let want = try SearchIndex.expected(db, clientId: id) else {
          return
        }
        let row = try Row.fetchOne(
          db.cachedStatement(
            sql: """
              SELECT name, persons, phones, emails, requisites, tags, notes FROM client_fts
              WHERE rowid = ?
              """), arguments: [id])
        guard let row else { return }  // reported above as missing
        // Compared as sorted words per column: the index has `detail = column` (no phrase
        // queries), so word order in a column never changes a search, and the paths that
        // write it (an edit, an import, the demo) list tags and phones in different orders.
        func words(_ text: String) -> [Substring] { text.split(separator: " ").sorted() }
        let have = (0..<want.count).map { (row[$0] as String?) ?? "" }
        if zip(have, want).contains(where: { words($0.0) != words($0.1) }) {
          differing += 1
          let columns = ["name", "persons", "phones", "emails", "requisites", "tags", "notes"]
          let which = zip(columns, zip(have, want)).filter { words($0.1.0) != words($0.1.1) }
            .map(\.0)
          problems.append(
            "search index: client \(id) differs from the tables in "
              + which.joined(separator: ", "))
        }
      }
      if let clientIds {
        for id in clientIds { try compare(id) }
      } else {
        var after: Int64 = 0
        while differing < limit {
          let page = try Int64.fetchAll(
            db,
            sql: """
              SELECT id FROM client WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?
              """, arguments: [after, pageSize])
          guard let last = page.last else { break }
          for id in page { try compare(id) }
          after = last
        }
      }
      return problems
    }
  }
}
