import Foundation
import GRDB

extension Schema {
  /// Who registered each client, the reversed duplicate key, and names repaired
  /// (migration v8-client-creator).
  ///
  /// - `client.created_by`: the user who registered the client. "New clients" belong to them for
  ///   good; the owner changes with every handover. Filled from the client's first `insert` or
  ///   `import` change, else the owner at the time of the migration (the best guess left).
  /// - `client.match_rkey`: `match_key` reversed, with its index. The duplicate scan compares
  ///   each name with its neighbours in key order and in reversed-key order (a typo near the
  ///   start moves a name far away in the first); the card's check of one client reads the same
  ///   neighbours from the two indexes, so the two find the same pairs.
  static let v8 = """
    ALTER TABLE client ADD COLUMN created_by INTEGER REFERENCES app_user(id);
    ALTER TABLE client ADD COLUMN match_rkey TEXT NOT NULL DEFAULT '';
    UPDATE client SET created_by = coalesce(
      (SELECT cs.user_id FROM change_set cs
       WHERE cs.client_id = client.id AND cs.entity = 'client' AND cs.entity_id = client.id
         AND cs.action IN ('insert', 'import') AND cs.user_id IS NOT NULL
       ORDER BY cs.id LIMIT 1),
      owner_id);
    DROP INDEX client_created_by_owner;
    CREATE INDEX client_created_by_user ON client(created_by, created_at)
      WHERE deleted_at IS NULL;
    CREATE INDEX client_by_match_rkey ON client(match_rkey, id)
      WHERE match_rkey <> '' AND deleted_at IS NULL;
    """

  /// The Swift half of v8: names typed with their legal form or in quotes (`ООО "Ромашка"`,
  /// `«Ромашка»` with the form ООО) are split and unquoted the way every write now does it
  /// (`ClientName.normalize`), with their sort, duplicate and search keys; every client gets its
  /// reversed key.
  static func v8Repair(_ db: Database) throws {
    var fixed: [(Int64, String, String)] = []
    var reversed: [(Int64, String)] = []
    let rows = try Row.fetchCursor(db, sql: "SELECT id, name, legal_form, match_key FROM client")
    while let r = try rows.next() {
      let id: Int64 = r[0]
      let name: String = r[1]
      let form: String = r[2]
      let n = ClientName.normalize(name: name, legalForm: form)
      if n.name != name || n.legalForm != form {
        fixed.append((id, n.name, n.legalForm))
      } else {
        let key: String = r[3]
        if !key.isEmpty { reversed.append((id, DuplicateKeys.reversed(key))) }
      }
    }
    let setKey = try db.makeStatement(sql: "UPDATE client SET match_rkey = ? WHERE id = ?")
    for (id, rkey) in reversed { try setKey.execute(arguments: [rkey, id]) }
    let setName = try db.makeStatement(
      sql: """
        UPDATE client SET name = ?, legal_form = ?, name_key = ?, match_key = ?, match_rkey = ?
        WHERE id = ?
        """)
    for (id, name, form) in fixed {
      let key = DuplicateKeys.name(name)
      try setName.execute(arguments: [
        name, form, TextFold.sortKey(name), key, DuplicateKeys.reversed(key), id,
      ])
      try SearchIndex.update(db, clientId: id)
    }
  }
}
