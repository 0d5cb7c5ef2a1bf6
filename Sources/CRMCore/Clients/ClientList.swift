import Foundation
import GRDB

/// A value bound to a statement.
public enum SQLValue: Sendable, Equatable {
  case integer(Int64)
  case real(Double)
  case text(String)
}

/// One SQL statement with its arguments, exactly as our code runs it, so the benchmark can replay
/// the same text through the bare SQLite C API to measure the floor.
public struct SQLStatement: Sendable, Equatable {
  public var sql: String
  public var arguments: [SQLValue]

  public init(sql: String, arguments: [SQLValue]) {
    self.sql = sql
    self.arguments = arguments
  }

  public var grdbArguments: StatementArguments {
    StatementArguments(
      arguments.map { v -> (any DatabaseValueConvertible) in
        switch v {
        case .integer(let i): return i
        case .real(let d): return d
        case .text(let t): return t
        }
      })
  }
}

/// A row of the clients list: just what the screen shows.
public struct ClientRow: Equatable, Sendable {
  public var id: Int64
  public var name: String
  public var city: String
  public var phone: String
  public var segment: String
  public var owner: String
  public var lastContact: Date?
  public var deletedAt: Date?
  /// Why a search found it (`.name` outside searches and for matches in the name).
  public var match: SearchMatch = .name

  public init(
    id: Int64, name: String, city: String, phone: String, segment: String, owner: String,
    lastContact: Date?, deletedAt: Date?
  ) {
    self.id = id
    self.name = name
    self.city = city
    self.phone = phone
    self.segment = segment
    self.owner = owner
    self.lastContact = lastContact
    self.deletedAt = deletedAt
  }
}

/// Which clients, in which order. Every page is one indexed SQL query with LIMIT/OFFSET.
public struct ClientListQuery: Equatable, Sendable {
  public enum Sort: String, CaseIterable, Sendable {
    case name, city, phone, segment, owner, lastContact
  }

  public var search: String = ""
  public var sort: Sort = .name
  public var descending = false
  public var segment: String?
  public var ownerId: Int64?
  public var tag: String?
  /// The trash instead of the live clients.
  public var trash = false
  /// A search lists the best matches first (`SearchRanking`) unless the user sorts by a column.
  public var ranked = true
  /// Whose clients may show. `CRMDatabase` sets it to the signed-in user's access on every
  /// count and page, so a caller cannot forget it.
  public var access: ClientAccess = .all

  public init(
    search: String = "", sort: Sort = .name, descending: Bool = false, segment: String? = nil,
    ownerId: Int64? = nil, tag: String? = nil, trash: Bool = false, ranked: Bool = true
  ) {
    self.ranked = ranked
    self.search = search
    self.sort = sort
    self.descending = descending
    self.segment = segment
    self.ownerId = ownerId
    self.tag = tag
    self.trash = trash
  }

  /// `probing` tests each row against the FTS query instead of keeping rows in its result set.
  func whereClause(probing: Bool = false) -> (sql: String, arguments: [SQLValue]) {
    var parts = [trash ? "c.deleted_at IS NOT NULL" : "c.deleted_at IS NULL"]
    var args: [SQLValue] = []
    if let m = SearchQuery.match(search) {
      parts.append(
        probing
          ? "EXISTS (SELECT 1 FROM client_fts f WHERE f.client_fts MATCH ? AND f.rowid = c.id)"
          : "c.id IN (SELECT rowid FROM client_fts WHERE client_fts MATCH ?)")
      args.append(.text(m))
    }
    if let segment {
      parts.append("c.segment = ?")
      args.append(.text(segment))
    }
    if let ownerId {
      parts.append("c.owner_id = ?")
      args.append(.integer(ownerId))
    }
    if let tag {
      parts.append("c.id IN (SELECT client_id FROM client_tag WHERE tag_key = ?)")
      args.append(.text(TextFold.key(tag)))
    }
    if !access.isAll { parts.append(access.condition(client: "c")) }
    return (parts.joined(separator: " AND "), args)
  }

  /// The statement that counts the query's clients, stopping at `cap + 1` when a cap is given.
  /// The whole live list is read from a counter the schema's triggers keep; a plain search is
  /// answered by the FTS index alone, since clients in the trash are never indexed.
  public func countStatement(cap: Int? = nil) -> SQLStatement {
    if isWholeList {
      return SQLStatement(
        sql: "SELECT value FROM counter WHERE name = 'live_clients'", arguments: [])
    }
    var inner: SQLStatement
    if isPlainSearch, let m = SearchQuery.match(search) {
      inner = SQLStatement(
        sql: "SELECT 1 FROM client_fts WHERE client_fts MATCH ?", arguments: [.text(m)])
    } else {
      let w = whereClause()
      // A limited viewer's live clients are counted from the owner index alone (the planner
      // would otherwise pick an index on creation time and read every row for deleted_at).
      var hint = ""
      if case .owners(let ids, false) = access, !ids.isEmpty, !trash,
        SearchQuery.match(search) == nil
      {
        hint = "INDEXED BY client_by_owner "
      }
      inner = SQLStatement(
        sql: "SELECT 1 FROM client c \(hint)WHERE \(w.sql)", arguments: w.arguments)
    }
    if let cap {
      inner.sql += " LIMIT ?"
      inner.arguments.append(.integer(Int64(cap + 1)))
    }
    return SQLStatement(sql: "SELECT count(*) FROM (\(inner.sql))", arguments: inner.arguments)
  }

  /// How the page query meets the search (see `CRMDatabase.pageStatement`).
  public enum SearchPlan: Sendable {
    /// Let SQLite sort the matches (few matches).
    case sortMatches
    /// Walk the sort column's index and keep rows in the materialised set of matches.
    case walkIndex
    /// Walk the sort column's index and test each row against the FTS query (short terms).
    case walkIndexProbing
  }

  /// The columns of a list row (with `u` the owner joined).
  static let rowColumns = """
    c.id, c.name, c.legal_form, c.city, c.segment, c.last_contact_at, c.deleted_at,
      coalesce(u.name, u.login, '') AS owner,
      (SELECT raw FROM phone p WHERE p.client_id = c.id AND p.person_id IS NULL
       ORDER BY p.position LIMIT 1) AS phone
    """

  /// The statement for rows `offset ..< offset + limit` under a search plan.
  public func pageStatement(offset: Int, limit: Int, plan: SearchPlan = .sortMatches)
    -> SQLStatement
  {
    let w = whereClause(probing: plan == .walkIndexProbing)
    let indexed = plan != .sortMatches
    return SQLStatement(
      sql: """
        SELECT \(Self.rowColumns)
        FROM client c \(indexed ? "INDEXED BY \(sortIndex)" : "") LEFT JOIN app_user u ON u.id = c.owner_id
        WHERE \(w.sql) ORDER BY \(orderClause()) LIMIT ? OFFSET ?
        """,
      arguments: w.arguments + [.integer(Int64(limit)), .integer(Int64(offset))])
  }

  /// A search in relevance order: `ranked`, something to search, live clients.
  public var isRanked: Bool { ranked && !trash && SearchQuery.match(search) != nil }

  /// All live clients, no search or filter, everything visible: counted exactly by the
  /// trigger-kept counter, never capped.
  public var isWholeList: Bool {
    SearchQuery.match(search) == nil && segment == nil && ownerId == nil && tag == nil && !trash
      && access.isAll
  }

  /// Only a search, no filters, live clients: the FTS index alone answers the count, since
  /// clients in the trash are never indexed.
  var isPlainSearch: Bool {
    SearchQuery.match(search) != nil && segment == nil && ownerId == nil && tag == nil && !trash
      && access.isAll
  }

  /// The partial index that yields rows in this query's order.
  var sortIndex: String {
    switch sort {
    case .name: return "client_by_name"
    case .city: return "client_by_city"
    case .phone: return "client_by_phone"
    case .segment: return "client_by_segment"
    case .owner: return "client_by_owner"
    case .lastContact: return "client_by_last_contact"
    }
  }

  func orderClause() -> String {
    let dir = descending ? "DESC" : "ASC"
    if trash { return "c.deleted_at DESC, c.id DESC" }
    switch sort {
    case .name: return "c.name_key \(dir), c.id \(dir)"
    case .city: return "c.city_key \(dir), c.name_key \(dir), c.id \(dir)"
    case .phone: return "c.phone_sort \(dir), c.name_key \(dir), c.id \(dir)"
    case .segment: return "c.segment \(dir), c.name_key \(dir), c.id \(dir)"
    case .owner: return "c.owner_id \(dir), c.name_key \(dir), c.id \(dir)"
    case .lastContact:
      // Most recent first; the index has last_contact_at DESC so both directions are scans.
      return descending
        ? "c.last_contact_at ASC, c.name_key DESC, c.id DESC"
        : "c.last_contact_at DESC, c.name_key ASC, c.id ASC"
    }
  }
}

extension CRMDatabase {
  /// How many clients the query selects; with a cap, at most `cap + 1` (meaning "more than cap").
  public func count(_ query: ClientListQuery, cap: Int? = nil) throws(CRMError) -> Int {
    let statement = visible(query).countStatement(cap: cap)
    return try read { db in
      try Int.fetchOne(db, sql: statement.sql, arguments: statement.grdbArguments) ?? 0
    }
  }

  /// The page statement `page` runs for this query. A search that matches few clients sorts
  /// just its matches; one that matches many (a tenth of the base or more, found with a count
  /// capped at that tenth) walks the sort column's index and stops after one page, testing each
  /// row against the query when its terms are short enough for the FTS prefix index, else
  /// keeping rows in the set of matches. On 100,000 clients: "ф" 68 → 3 ms, "федор" 64 → 13 ms.
  public func pageStatement(_ query: ClientListQuery, offset: Int, limit: Int) throws(CRMError)
    -> SQLStatement
  {
    let query = visible(query)
    return try read { db in
      var plan = ClientListQuery.SearchPlan.sortMatches
      if !query.trash, let m = SearchQuery.match(query.search) {
        let total = try Int.fetchOne(db, sql: "SELECT max(id) FROM client") ?? 0
        let tenth = max(1, total / 10)
        let matches =
          try Int.fetchOne(
            db,
            sql: "SELECT count(*) FROM (SELECT 1 FROM client_fts WHERE client_fts MATCH ? LIMIT ?)",
            arguments: [m, tenth]) ?? 0
        if matches >= tenth {
          plan = SearchQuery.usesPrefixIndex(query.search) ? .walkIndexProbing : .walkIndex
        }
      } else if !query.trash, query.ownerId == nil,
        case .owners(let ids, let unowned) = query.access,
        ids.count + (unowned ? 1 : 0) > 1
      {
        // A team's clients (several owners): walk the sort column's index and keep their rows,
        // rather than sorting all of them (with each row's phone) to show one page. One owner
        // needs nothing: `client_by_owner` gives their rows in name order.
        plan = .walkIndex
      }
      return query.pageStatement(offset: offset, limit: limit, plan: plan)
    }
  }

  /// The statements `page` runs for these rows, in order (the benchmark replays them).
  public func pageStatements(_ query: ClientListQuery, offset: Int, limit: Int) throws(CRMError)
    -> [SQLStatement]
  {
    if query.isRanked { return try rankedPage(query, offset: offset, limit: limit).statements }
    return [try pageStatement(query, offset: offset, limit: limit)]
  }

  /// Rows `offset ..< offset + limit` of the query.
  public func page(_ query: ClientListQuery, offset: Int, limit: Int) throws(CRMError)
    -> [ClientRow]
  {
    if query.isRanked { return try rankedPage(query, offset: offset, limit: limit).rows }
    let statement = try pageStatement(query, offset: offset, limit: limit)
    return try read { db in
      try Row.fetchAll(db, sql: statement.sql, arguments: statement.grdbArguments).map {
        ClientRow(
          id: $0["id"], name: ClientService.display($0), city: $0["city"], phone: $0["phone"] ?? "",
          segment: $0["segment"], owner: $0["owner"],
          lastContact: $0.timestamp("last_contact_at"),
          deletedAt: $0.timestamp("deleted_at"))
      }
    }
  }

  /// Where a client stands in the query's order (0-based), or nil when the query does not
  /// select it: the list jumps there after a quick add. In name order (the usual one) this is
  /// one count over `client_by_name` up to the client; other orders number the selected rows.
  public func position(of id: Int64, in query: ClientListQuery) throws(CRMError) -> Int? {
    if query.isRanked {
      // Relevance has no single column to count by: look for it among the first rows.
      return try page(query, offset: 0, limit: 1000).firstIndex { $0.id == id }
    }
    let query = visible(query)
    let w = query.whereClause()
    return try read { db in
      let selects =
        try Bool.fetchOne(
          db, sql: "SELECT EXISTS (SELECT 1 FROM client c WHERE \(w.sql) AND c.id = ?)",
          arguments: SQLStatement(sql: "", arguments: w.arguments + [.integer(id)]).grdbArguments)
        ?? false
      guard selects else { return nil }
      if query.sort == .name && !query.trash {
        guard
          let key = try String.fetchOne(
            db, sql: "SELECT name_key FROM client WHERE id = ?", arguments: [id])
        else { return nil }
        let before = query.descending ? ">" : "<"
        let statement = SQLStatement(
          sql: """
            SELECT count(*) FROM client c
            WHERE \(w.sql) AND (c.name_key \(before) ? OR (c.name_key = ? AND c.id \(before) ?))
            """,
          arguments: w.arguments + [.text(key), .text(key), .integer(id)])
        return try Int.fetchOne(db, sql: statement.sql, arguments: statement.grdbArguments)
      }
      let statement = SQLStatement(
        sql: """
          SELECT n FROM (SELECT c.id, row_number() OVER (ORDER BY \(query.orderClause())) - 1 AS n
          FROM client c WHERE \(w.sql)) WHERE id = ?
          """,
        arguments: w.arguments + [.integer(id)])
      return try Int.fetchOne(db, sql: statement.sql, arguments: statement.grdbArguments)
    }
  }

  /// The query limited to what the signed-in user may see.
  public func visible(_ query: ClientListQuery) -> ClientListQuery {
    var q = query
    q.access = access
    return q
  }

  /// Distinct non-empty segments in use, for the filter menu.
  public func segments() throws(CRMError) -> [String] {
    let a = access
    return try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT DISTINCT segment FROM client c WHERE deleted_at IS NULL AND segment <> ''
          AND \(a.condition(client: "c")) ORDER BY segment
          """
      )
    }
  }

  /// Tags in use with how many clients carry each.
  public func tags() throws(CRMError) -> [(tag: String, count: Int)] {
    let a = access
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT min(t.tag) AS tag, count(*) AS n FROM client_tag t
          JOIN client c ON c.id = t.client_id AND c.deleted_at IS NULL
          WHERE \(a.condition(client: "c"))
          GROUP BY t.tag_key ORDER BY t.tag_key
          """
      ).map { ($0["tag"], $0["n"]) }
    }
  }
}
