import Foundation
import GRDB

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

  public init(
    search: String = "", sort: Sort = .name, descending: Bool = false, segment: String? = nil,
    ownerId: Int64? = nil, tag: String? = nil, trash: Bool = false
  ) {
    self.search = search
    self.sort = sort
    self.descending = descending
    self.segment = segment
    self.ownerId = ownerId
    self.tag = tag
    self.trash = trash
  }

  func whereClause() -> (sql: String, arguments: StatementArguments) {
    var parts = [trash ? "c.deleted_at IS NOT NULL" : "c.deleted_at IS NULL"]
    var args = StatementArguments()
    if let m = SearchQuery.match(search) {
      parts.append("c.id IN (SELECT rowid FROM client_fts WHERE client_fts MATCH ?)")
      _ = args.append(contentsOf: [m])
    }
    if let segment {
      parts.append("c.segment = ?")
      _ = args.append(contentsOf: [segment])
    }
    if let ownerId {
      parts.append("c.owner_id = ?")
      _ = args.append(contentsOf: [ownerId])
    }
    if let tag {
      parts.append("c.id IN (SELECT client_id FROM client_tag WHERE tag_key = ?)")
      _ = args.append(contentsOf: [TextFold.key(tag)])
    }
    return (parts.joined(separator: " AND "), args)
  }

  /// Only a search, no filters, live clients: the FTS index alone answers the count, since
  /// clients in the trash are never indexed.
  var isPlainSearch: Bool {
    SearchQuery.match(search) != nil && segment == nil && ownerId == nil && tag == nil && !trash
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
      return "c.last_contact_at \(descending ? "ASC" : "DESC"), c.name_key, c.id"
    }
  }
}

extension CRMDatabase {
  /// How many clients the query selects.
  public func count(_ query: ClientListQuery) throws(CRMError) -> Int {
    let w = query.whereClause()
    return try read { db in
      if query.isPlainSearch, let m = SearchQuery.match(query.search) {
        return try Int.fetchOne(
          db, sql: "SELECT count(*) FROM client_fts WHERE client_fts MATCH ?", arguments: [m]) ?? 0
      }
      return try Int.fetchOne(
        db, sql: "SELECT count(*) FROM client c WHERE \(w.sql)", arguments: w.arguments) ?? 0
    }
  }

  /// Rows `offset ..< offset + limit` of the query.
  ///
  /// A search that matches many clients walks the sort column's index and probes the matches
  /// (stopping after one page); one that matches few sorts just its matches. Measured on 100,000
  /// clients: "ф" (23% match) 33 → 6 ms; "елочка" (a handful) 2 ms instead of 33 ms.
  public func page(_ query: ClientListQuery, offset: Int, limit: Int) throws(CRMError)
    -> [ClientRow]
  {
    let w = query.whereClause()
    var args = w.arguments
    _ = args.append(contentsOf: [limit, offset])
    return try read { db in
      var indexed = ""
      if !query.trash, let m = SearchQuery.match(query.search) {
        let matches =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM client_fts WHERE client_fts MATCH ?", arguments: [m])
          ?? 0
        let total = try Int.fetchOne(db, sql: "SELECT max(id) FROM client") ?? 0
        if matches * 10 >= total { indexed = "INDEXED BY \(query.sortIndex)" }
      }
      return try Row.fetchAll(
        db,
        sql: """
          SELECT c.id, c.name, c.legal_form, c.city, c.segment, c.last_contact_at, c.deleted_at,
            coalesce(u.name, u.login, '') AS owner,
            (SELECT raw FROM phone p WHERE p.client_id = c.id AND p.person_id IS NULL
             ORDER BY p.position LIMIT 1) AS phone
          FROM client c \(indexed) LEFT JOIN app_user u ON u.id = c.owner_id
          WHERE \(w.sql) ORDER BY \(query.orderClause()) LIMIT ? OFFSET ?
          """, arguments: args
      ).map {
        ClientRow(
          id: $0["id"], name: ClientService.display($0), city: $0["city"], phone: $0["phone"] ?? "",
          segment: $0["segment"], owner: $0["owner"],
          lastContact: ($0["last_contact_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
          deletedAt: ($0["deleted_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
      }
    }
  }

  /// Distinct non-empty segments in use, for the filter menu.
  public func segments() throws(CRMError) -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql:
          "SELECT DISTINCT segment FROM client WHERE deleted_at IS NULL AND segment <> '' ORDER BY segment"
      )
    }
  }

  /// Tags in use with how many clients carry each.
  public func tags() throws(CRMError) -> [(tag: String, count: Int)] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT min(t.tag) AS tag, count(*) AS n FROM client_tag t
          JOIN client c ON c.id = t.client_id AND c.deleted_at IS NULL
          GROUP BY t.tag_key ORDER BY t.tag_key
          """
      ).map { ($0["tag"], $0["n"]) }
    }
  }
}
