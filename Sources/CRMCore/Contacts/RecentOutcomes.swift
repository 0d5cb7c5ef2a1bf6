import GRDB

extension ContactService {
  /// The acting user's most recent distinct outcomes (newest first, first line of each, at
  /// most `limit`), read by walking the user's done contacts newest first through
  /// `contact_done_by_user` and stopping after `scan` rows.
  public func recentOutcomes(limit: Int = 8, scan: Int = 200) throws(CRMError) -> [String] {
    guard let me = userId else { return [] }
    let rows = try db.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT outcome FROM contact INDEXED BY contact_done_by_user
          WHERE user_id = ? AND done_at IS NOT NULL AND outcome <> ''
          ORDER BY done_at DESC LIMIT ?
          """, arguments: [me, scan])
    }
    var seen = Set<String>()
    var out: [String] = []
    for text in rows {
      let line = String(text.split(separator: "\n").first ?? "").trimmingSpaces()
      guard !line.isEmpty, seen.insert(TextFold.key(line)).inserted else { continue }
      out.append(line)
      if out.count == limit { break }
    }
    return out
  }
}
