import Foundation
import GRDB

extension ContactService {
  /// What handing over `clientIds` of user `from` would move, counted before anyone is asked:
  /// the clients that still belong to `from` (and are not in the trash), their planned contacts
  /// held by `from`, and with `withDeals` their open deals of `from`. Three indexed queries over
  /// the id list, however long it is.
  public func handoverCounts(from: Int64, clientIds: [Int64], withDeals: Bool) throws(CRMError)
    -> HandoverResult
  {
    let json = "[" + clientIds.map(String.init).joined(separator: ",") + "]"
    return try db.read { db in
      let ids = "SELECT value FROM json_each(?)"
      let clients =
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM client
            WHERE id IN (\(ids)) AND owner_id = ? AND deleted_at IS NULL
            """, arguments: [json, from]) ?? 0
      let contacts =
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM contact
            WHERE client_id IN (\(ids)) AND user_id = ? AND status = 'planned'
            """, arguments: [json, from]) ?? 0
      let deals =
        withDeals
        ? try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM deal
            WHERE client_id IN (\(ids)) AND owner_id = ? AND closed_at IS NULL
            """, arguments: [json, from]) ?? 0 : 0
      return HandoverResult(clients: clients, contacts: contacts, deals: deals)
    }
  }
}

extension CRMDatabase {
  /// The owners of these clients with each one's clients (in the order given); clients without
  /// an owner, in the trash or hidden from the signed-in user are left out. One query.
  public func clientsByOwner(_ clientIds: [Int64]) throws(CRMError) -> [Int64: [Int64]] {
    let json = "[" + clientIds.map(String.init).joined(separator: ",") + "]"
    let condition = access.condition(client: "c")
    return try read { db in
      var out: [Int64: [Int64]] = [:]
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT c.id, c.owner_id FROM json_each(?) j JOIN client c ON c.id = j.value
          WHERE c.owner_id IS NOT NULL AND c.deleted_at IS NULL AND \(condition)
          ORDER BY j.key
          """, arguments: [json])
      while let r = try rows.next() { out[r["owner_id"], default: []].append(r["id"]) }
      return out
    }
  }
}
