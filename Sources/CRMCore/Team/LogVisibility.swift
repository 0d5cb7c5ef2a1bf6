import Foundation
import GRDB

// Who may read and undo the entries of the logs of whole-base operations (imports, merges, act
// exports) and bulk changes. An entry touches clients; the signed-in user sees it when they
// made it, or when every client it touched that still exists is one they may see (and there is
// at least one). Undo is stricter: it changes clients, so it needs every one of them visible,
// whoever made the entry — a manager never changes another manager's client, even by undoing
// their own import or merge after the client was handed over (docs/teamwork.md).

extension ClientAccess {
  /// SQL: the client whose id is in `column` exists and the viewer may not see it. Unowned
  /// clients are hidden unless the access includes them (`IS NOT 1` also catches the NULL of
  /// `owner_id = 5`). One primary-key lookup per row, never a list of every hidden client.
  func hidesClient(_ column: String) -> String {
    "EXISTS (SELECT 1 FROM client hc WHERE hc.id = \(column) AND (\(condition(client: "hc"))) IS NOT 1)"
  }

  /// SQL: the client whose id is in `column` exists and the viewer may see it.
  func showsClient(_ column: String) -> String {
    "EXISTS (SELECT 1 FROM client sc WHERE sc.id = \(column) AND \(condition(client: "sc")))"
  }

  /// SQL over a log table aliased `t` with a `user_id`: the entry is the viewer's own, or
  /// `clients` (a SELECT of the client ids it touched, correlated with `t`) has a visible client
  /// and no hidden one. `1` when everything is visible.
  func logCondition(userId: Int64?, clients: String) -> String {
    if isAll { return "1" }
    let mine = userId.map { "t.user_id = \($0)" } ?? "0"
    return """
      (\(mine) OR (EXISTS (SELECT 1 FROM (\(clients)) x WHERE \(showsClient("x.cid")))
        AND NOT EXISTS (SELECT 1 FROM (\(clients)) x WHERE \(hidesClient("x.cid")))))
      """
  }

  /// How many clients (of those that still exist) entry `id` of a log touched that the viewer
  /// may not see.
  func hiddenCount(_ db: Database, _ table: String, id: Int64, clients: String) throws -> Int {
    if isAll { return 0 }
    return try Int.fetchOne(
      db,
      sql: """
        SELECT (SELECT count(DISTINCT x.cid) FROM (\(clients)) x WHERE \(hidesClient("x.cid")))
        FROM \(table) t WHERE t.id = ?
        """, arguments: [id]) ?? 0
  }
}

/// The client ids each log's entry touched, as SQL selecting `cid`, correlated with `t`.
enum LogClients {
  /// An import's created and updated clients (and those it added persons to).
  static let importBatch = "SELECT client_id AS cid FROM import_item WHERE batch_id = t.id"
  /// Both clients of a merge; for a person merge, both persons' clients.
  static let merge = """
    SELECT CASE t.entity WHEN 'client' THEN t.survivor_id
      ELSE (SELECT client_id FROM contact_person WHERE id = t.survivor_id) END AS cid
    UNION ALL
    SELECT CASE t.entity WHEN 'client' THEN t.merged_id
      ELSE (SELECT client_id FROM contact_person WHERE id = t.merged_id) END
    """
  /// The clients of the acts an export carried.
  static let export = """
    SELECT a.client_id AS cid FROM export_item e JOIN act a ON a.id = e.act_id
    WHERE e.export_id = t.id
    """
}

extension CRMDatabase {
  /// The newest `limit` rows of a log table (`import_batch`, `merge_log`, `export_log`) that
  /// `userId` (the acting user) may see (`LogClients` names the clients of an entry), each with the
  /// `login` of its `user_id` (`noLogin` for a user who is gone), newest first.
  func visibleLogRows<T>(
    _ table: String, clients: String, userId: Int64?, noLogin: String, limit: Int,
    _ map: (Row) throws -> T
  ) throws(CRMError) -> [T] {
    let seen = access.logCondition(userId: userId, clients: clients)
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT t.*, coalesce(u.login, '\(noLogin)') AS login FROM \(table) t
          LEFT JOIN app_user u ON u.id = t.user_id WHERE \(seen) ORDER BY t.id DESC LIMIT ?
          """, arguments: [limit]
      ).map(map)
    }
  }

  /// Whether the signed-in user may see this entry of a log (see `visibleLogRows`).
  func seesLogEntry(
    _ db: Database, _ table: String, id: Int64, clients: String, userId: Int64?
  ) throws -> Bool {
    let seen = access.logCondition(userId: userId, clients: clients)
    return try Bool.fetchOne(
      db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) t WHERE t.id = ? AND \(seen))",
      arguments: [id]) ?? false
  }

  /// Refuses an undo that would change clients the signed-in user may not see: `hidden` of
  /// them. Nothing is changed.
  func refuseUndo(_ what: String, hidden: Int, language l: Language) -> CRMError {
    .forbidden(
      l.pick(
        "\(what) touched \(hidden) client(s) of other managers that you cannot see; "
          + "only someone who sees them all (an admin) can undo it. Nothing was changed.",
        "\(what) затрагивает клиентов других менеджеров, которых вы не видите (\(hidden)); "
          + "отменить может тот, кто видит их всех (администратор). Ничего не изменено."))
  }
}
