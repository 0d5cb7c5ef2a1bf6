import Foundation
import GRDB

/// A client filter: the clients list's fields (search, segment, owner, tag) and a city. Stored
/// by name as JSON in `saved_filter.query`; a campaign's target.
public struct ClientFilter: Equatable, Sendable {
  public var search: String = ""
  public var segment: String?
  /// The owner's login (kept as a login, so the JSON reads well and survives id changes).
  public var owner: String?
  public var tag: String?
  public var city: String?

  public init(
    search: String = "", segment: String? = nil, owner: String? = nil, tag: String? = nil,
    city: String? = nil
  ) {
    self.search = search
    self.segment = segment
    self.owner = owner
    self.tag = tag
    self.city = city
  }

  public var isEmpty: Bool {
    search.isEmpty && segment == nil && owner == nil && tag == nil && city == nil
  }

  /// The JSON text stored: only the fields that are set, keys sorted.
  public var json: String {
    var o: [String: String] = [:]
    if !search.isEmpty { o["search"] = search }
    if let segment { o["segment"] = segment }
    if let owner { o["owner"] = owner }
    if let tag { o["tag"] = tag }
    if let city { o["city"] = city }
    let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  public init(json: String) {
    let o =
      (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    search = o["search"] as? String ?? ""
    segment = o["segment"] as? String
    owner = o["owner"] as? String
    tag = o["tag"] as? String
    city = o["city"] as? String
  }

  /// In words, for lists: `segment=VIP tag=опт`.
  public var summary: String {
    var parts: [String] = []
    if !search.isEmpty { parts.append("search=\(search)") }
    if let segment { parts.append("segment=\(segment)") }
    if let owner { parts.append("owner=\(owner)") }
    if let tag { parts.append("tag=\(tag)") }
    if let city { parts.append("city=\(city)") }
    return parts.joined(separator: " ")
  }

  /// The clients list's query for these fields (the owner resolved to an id; an unknown owner
  /// selects nobody), and the SQL condition of the city, which the list query does not have.
  func resolve(_ db: Database, language l: Language) throws -> (
    query: ClientListQuery, extra: String, arguments: [SQLValue]
  ) {
    var q = ClientListQuery(search: search, segment: segment, tag: tag)
    var extra = ""
    var args: [SQLValue] = []
    if let owner {
      guard
        let id = try Int64.fetchOne(
          db, sql: "SELECT id FROM app_user WHERE login = ?", arguments: [owner])
      else {
        throw CRMError.invalid(
          field: "owner", problem: l.pick("no user «\(owner)»", "нет пользователя «\(owner)»"))
      }
      q.ownerId = id
    }
    if let city {
      extra = " AND c.city_key = ?"
      args.append(.text(TextFold.sortKey(city)))
    }
    return (q, extra, args)
  }
}

/// A named, saved client filter.
public struct SavedFilter: Equatable, Sendable {
  public var id: Int64
  public var name: String
  public var filter: ClientFilter
  public var createdBy: String
  public var createdAt: Date
}

/// Saved client filters: save, list, remove, and the clients they select (through the clients
/// list's CRMCore query, so visibility applies).
public struct SavedFilterService: CoreService {
  public let context: ServiceContext

  public init(_ context: ServiceContext) {
    self.context = context
  }

  /// Saves (or replaces, when `replace`) a filter under a name; returns its id.
  @discardableResult
  public func save(_ name: String, _ filter: ClientFilter, replace: Bool = false) throws(CRMError)
    -> Int64
  {
    let v = Validator(language: l)
    let clean = try v.line(name, "name", max: 100)
    if clean.isEmpty {
      throw .invalid(field: l.pick("name", "название"), problem: l.pick("is empty", "пустое"))
    }
    if filter.isEmpty {
      throw .invalid(
        field: l.pick("filter", "фильтр"),
        problem: l.pick(
          "selects every client; give --search, --segment, --owner, --tag or --city",
          "выбирает всех клиентов; укажите --search, --segment, --owner, --tag или --city"))
    }
    var f = filter
    f.search = try v.line(f.search, "search", max: 200)
    let at = db.clock.now()
    let log = context.clients
    return try db.write { db in
      _ = try f.resolve(db, language: l)  // an unknown owner is refused here
      let key = TextFold.key(clean)
      if let old = try Int64.fetchOne(
        db, sql: "SELECT id FROM saved_filter WHERE name_key = ?", arguments: [key])
      {
        guard replace else {
          throw CRMError.invalid(
            field: clean,
            problem: l.pick(
              "a filter of this name exists; remove it first",
              "фильтр с таким названием уже есть; сначала удалите его"))
        }
        try db.execute(
          sql: "UPDATE saved_filter SET name = ?, query = ? WHERE id = ?",
          arguments: [clean, f.json, old])
        let change = try log.recordChange(
          db, clientId: 0, entity: "filter", entityId: old, action: "update",
          before: String?.none, at: at)
        try log.auditFields(
          db, change: change, clientId: 0, entity: "filter", entityId: old, action: "update",
          old: [:], new: ["name": clean, "query": f.json], at: at)
        return old
      }
      try db.execute(
        sql: """
          INSERT INTO saved_filter (name, name_key, query, created_by, created_at)
          VALUES (?, ?, ?, ?, ?)
          """, arguments: [clean, key, f.json, userId, at.timeIntervalSince1970])
      let id = db.lastInsertedRowID
      let change = try log.recordChange(
        db, clientId: 0, entity: "filter", entityId: id, action: "insert", before: String?.none,
        at: at)
      try log.auditFields(
        db, change: change, clientId: 0, entity: "filter", entityId: id, action: "insert",
        old: [:], new: ["name": clean, "query": f.json], at: at)
      return id
    }
  }

  /// Every saved filter, by name.
  public func list() throws(CRMError) -> [SavedFilter] {
    try db.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT f.*, coalesce(u.login, '') AS by_login FROM saved_filter f
          LEFT JOIN app_user u ON u.id = f.created_by ORDER BY f.name_key
          """
      ).map(Self.filter)
    }
  }

  static func filter(_ r: Row) -> SavedFilter {
    SavedFilter(
      id: r["id"], name: r["name"], filter: ClientFilter(json: r["query"]),
      createdBy: r["by_login"], createdAt: Date(timeIntervalSince1970: r["created_at"]))
  }

  /// The filter of this name (folded), or a clear error naming the known ones.
  public func named(_ name: String) throws(CRMError) -> SavedFilter {
    let found = try db.read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT f.*, coalesce(u.login, '') AS by_login FROM saved_filter f
          LEFT JOIN app_user u ON u.id = f.created_by WHERE f.name_key = ?
          """, arguments: [TextFold.key(name.trimmingSpaces())]
      ).map(Self.filter)
    }
    guard let found else {
      let known = try list().map(\.name)
      throw .invalid(
        field: "--filter",
        problem: l.pick(
          "no saved filter «\(name)»; known: \(known.isEmpty ? "—" : known.joined(separator: ", "))",
          "нет сохранённого фильтра «\(name)»; есть: \(known.isEmpty ? "—" : known.joined(separator: ", "))"
        ))
    }
    return found
  }

  /// Removes a filter (its creator, a supervisor or an admin). Campaigns keep their copy.
  public func remove(_ name: String) throws(CRMError) {
    let f = try named(name)
    if let v = db.viewer.user, v.role == .manager, f.createdBy != v.login {
      throw .forbidden(
        l.pick(
          "filter «\(f.name)» was saved by \(f.createdBy); only they, a supervisor or an admin remove it. Nothing was changed.",
          "фильтр «\(f.name)» сохранил(а) \(f.createdBy); удалить может он, руководитель или администратор. Ничего не изменено."
        ))
    }
    let at = db.clock.now()
    let log = context.clients
    try db.write { db in
      try db.execute(sql: "DELETE FROM saved_filter WHERE id = ?", arguments: [f.id])
      let change = try log.recordChange(
        db, clientId: 0, entity: "filter", entityId: f.id, action: "delete", before: String?.none,
        at: at)
      try log.auditFields(
        db, change: change, clientId: 0, entity: "filter", entityId: f.id, action: "delete",
        old: ["name": f.name, "query": f.filter.json], new: [:], at: at)
    }
  }

  /// How many live clients the filter selects.
  public func count(_ filter: ClientFilter) throws(CRMError) -> Int {
    let l = language
    let access = db.access
    return try db.read { db in
      let r = try filter.resolve(db, language: l)
      let w = r.query.whereClause()
      return try Int.fetchOne(
        db,
        sql:
          "SELECT count(*) FROM client c WHERE \(w.sql)\(r.extra) AND \(access.condition(client: "c"))",
        arguments: SQLStatement(sql: "", arguments: w.arguments + r.arguments).grdbArguments) ?? 0
    }
  }

  /// Ids of live clients the filter selects, after `after`, at most `limit`, by id: a campaign
  /// reads its targets in pages of these.
  public static func ids(
    _ db: Database, _ filter: ClientFilter, access: ClientAccess, after: Int64, limit: Int,
    language l: Language
  ) throws -> [Int64] {
    let r = try filter.resolve(db, language: l)
    let w = r.query.whereClause()
    return try Int64.fetchAll(
      db,
      sql: """
        SELECT c.id FROM client c WHERE \(w.sql)\(r.extra) AND \(access.condition(client: "c"))
          AND c.id > ? ORDER BY c.id LIMIT ?
        """,
      arguments: SQLStatement(
        sql: "", arguments: w.arguments + r.arguments + [.integer(after), .integer(Int64(limit))]
      ).grdbArguments)
  }

  /// The first page of clients the filter selects, by name (the clients list's query; the city
  /// is applied on the page).
  public func clients(_ filter: ClientFilter, limit: Int = 50) throws(CRMError) -> [ClientRow] {
    let l = language
    let access = db.access
    let ids = try db.read { db in
      try Self.ids(db, filter, access: access, after: 0, limit: limit, language: l)
    }
    return try db.read { db in
      try ids.compactMap { id in
        try Row.fetchOne(
          db,
          sql: """
            SELECT c.id, c.name, c.legal_form, c.city, c.segment, c.last_contact_at,
              c.deleted_at, coalesce(u.name, u.login, '') AS owner FROM client c
            LEFT JOIN app_user u ON u.id = c.owner_id WHERE c.id = ?
            """, arguments: [id]
        ).map {
          ClientRow(
            id: $0["id"], name: ClientService.display($0), city: $0["city"], phone: "",
            segment: $0["segment"], owner: $0["owner"], lastContact: nil, deletedAt: nil)
        }
      }
    }
  }
}
