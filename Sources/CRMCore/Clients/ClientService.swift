import Foundation
import GRDB

/// One entry of a client's history: who changed which field, when, from what to what.
public struct AuditEntry: Equatable, Sendable {
  public var at: Date
  public var user: String
  public var entity: String
  public var action: String
  public var field: String
  public var old: String?
  public var new: String?
}

/// A client that may be the same as one being added, and why.
public struct DuplicateCandidate: Equatable, Sendable {
  public enum Reason: String, Sendable { case inn, phone, email, name }
  public var id: Int64
  public var name: String
  public var reason: Reason
}

/// Clients and contact persons: every change validated, audited, undoable and indexed for search,
/// in one transaction.
public struct ClientService: CoreService {
  public let context: ServiceContext
  public let validator: Validator

  public init(_ context: ServiceContext) {
    self.context = context
    self.validator = Validator(language: context.language)
  }

  // MARK: Reading

  /// The client with its phones, e-mails, accounts and tags; nil when there is none or the
  /// signed-in user may not see it.
  public func client(_ id: Int64) throws(CRMError) -> Client? {
    let access = db.access
    return try db.read { db in try Self.load(db, id, access) }
  }

  /// The client when `access` shows it.
  static func load(_ db: Database, _ id: Int64, _ access: ClientAccess) throws -> Client? {
    guard let c = try load(db, id), access.allows(ownerId: c.ownerId) else { return nil }
    return c
  }

  static func load(_ db: Database, _ id: Int64) throws -> Client? {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM client WHERE id = ?", arguments: [id])
    else { return nil }
    var c = Client(
      id: row["id"], kind: ClientKind(rawValue: row["kind"]) ?? .company, name: row["name"],
      legalForm: row["legal_form"], inn: row["inn"], kpp: row["kpp"], ogrn: row["ogrn"],
      website: row["website"], city: row["city"], legalAddress: row["legal_address"],
      actualAddress: row["actual_address"], postalAddress: row["postal_address"],
      leadSource: row["lead_source"], segment: row["segment"], ownerId: row["owner_id"],
      notes: row["notes"])
    c.createdAt = Date(timeIntervalSince1970: row["created_at"])
    c.updatedAt = Date(timeIntervalSince1970: row["updated_at"])
    c.deletedAt = row.timestamp("deleted_at")
    c.lastContactAt = row.timestamp("last_contact_at")
    c.version = row["version"]
    c.phones = try Row.fetchAll(
      db,
      sql:
        "SELECT raw, e164 FROM phone WHERE client_id = ? AND person_id IS NULL ORDER BY position",
      arguments: [id]
    ).map { r in
      var p = Phone(r["raw"] as String)
      p.e164 = r["e164"]
      return p
    }
    c.emails = try String.fetchAll(
      db,
      sql: "SELECT address FROM email WHERE client_id = ? AND person_id IS NULL ORDER BY position",
      arguments: [id])
    c.bankAccounts = try Row.fetchAll(
      db, sql: "SELECT * FROM bank_account WHERE client_id = ? ORDER BY position", arguments: [id]
    ).map {
      BankAccount(
        bik: $0["bik"], account: $0["account"], corrAccount: $0["corr_account"],
        bankName: $0["bank_name"])
    }
    c.tags = try String.fetchAll(
      db, sql: "SELECT tag FROM client_tag WHERE client_id = ? ORDER BY position", arguments: [id])
    return c
  }

  /// Contact persons of a client (not in the trash), by name.
  public func persons(of clientId: Int64) throws(CRMError) -> [ContactPerson] {
    let access = db.access
    return try db.read { db in
      if try access.hides(db, clientId: clientId) { return [] }
      let ids = try Int64.fetchAll(
        db,
        sql: """
          SELECT id FROM contact_person WHERE client_id = ? AND deleted_at IS NULL
          ORDER BY name COLLATE NOCASE, id
          """, arguments: [clientId])
      return try ids.compactMap { try Self.loadPerson(db, $0) }
    }
  }

  public func person(_ id: Int64) throws(CRMError) -> ContactPerson? {
    let access = db.access
    return try db.read { db in try Self.visiblePerson(db, id, access) }
  }

  /// The person, unless missing or on a client `access` hides.
  static func visiblePerson(_ db: Database, _ id: Int64, _ access: ClientAccess) throws
    -> ContactPerson?
  {
    guard let p = try loadPerson(db, id), try !access.hides(db, clientId: p.clientId)
    else { return nil }
    return p
  }

  static func loadPerson(_ db: Database, _ id: Int64) throws -> ContactPerson? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT * FROM contact_person WHERE id = ?", arguments: [id])
    else { return nil }
    var p = ContactPerson(
      id: row["id"], clientId: row["client_id"], name: row["name"], position: row["position"],
      birthday: row["birthday"], notes: row["notes"])
    p.deletedAt = row.timestamp("deleted_at")
    p.version = row["version"]
    p.phones = try Row.fetchAll(
      db, sql: "SELECT raw, e164 FROM phone WHERE person_id = ? ORDER BY position", arguments: [id]
    ).map { r in
      var ph = Phone(r["raw"] as String)
      ph.e164 = r["e164"]
      return ph
    }
    p.emails = try String.fetchAll(
      db, sql: "SELECT address FROM email WHERE person_id = ? ORDER BY position", arguments: [id])
    return p
  }

  /// The client's history, newest first.
  public func history(of clientId: Int64, limit: Int = 200) throws(CRMError) -> [AuditEntry] {
    let access = db.access
    return try db.read { db in
      if try access.hides(db, clientId: clientId) { return [] }
      return try Row.fetchAll(
        db,
        sql: """
          SELECT a.at, coalesce(u.login, '?') AS login, a.entity, a.action, a.field, a.old, a.new
          FROM audit a LEFT JOIN app_user u ON u.id = a.user_id
          WHERE a.client_id = ? ORDER BY a.id DESC LIMIT ?
          """, arguments: [clientId, limit]
      ).map {
        AuditEntry(
          at: Date(timeIntervalSince1970: $0["at"]), user: $0["login"], entity: $0["entity"],
          action: $0["action"], field: $0["field"], old: $0["old"], new: $0["new"])
      }
    }
  }

  // MARK: Writing clients

  /// Adds a client and returns its id.
  ///
  /// Without an owner (lead distribution, docs/teamwork.md): with `lead_rule` off the acting user
  /// becomes the owner, as before (unless `unowned`: then it stays without one). With a rule on, a
  /// manager's quick add still makes the manager the owner; a supervisor's or admin's, one with
  /// no acting user, or `unowned` goes to the `LeadDistributor` in the same transaction.
  @discardableResult
  public func add(_ input: Client, unowned: Bool = false) throws(CRMError) -> Int64 {
    var c = try validator.client(input)
    let at = now
    return try db.write { db in
      // Team: lead distribution hook (LeadDistribution.swift).
      // Nobody able to receive leads (no active manager in the pool): as with the rule off.
      var leads =
        try c.ownerId == nil && Self.leavesUnowned(db, userId, unowned: unowned)
        ? try? LeadDistributor(db, log: self, at: at) : nil
      if c.ownerId == nil && leads == nil && !unowned { c.ownerId = userId }
      let id = try Self.insertClient(db, c, at: at, by: userId)
      c.id = id
      let change = try recordChange(
        db, clientId: id, entity: "client", entityId: id, action: "insert", before: Client?.none,
        at: at)
      try auditFields(
        db, change: change, clientId: id, entity: "client", entityId: id, action: "insert",
        old: [:], new: Self.fields(c), at: at)
      if c.ownerId == nil { _ = try leads?.assign(db, clientId: id, before: c, at: at) }
      try SearchIndex.update(db, clientId: id)
      return id
    }
  }

  /// Whether a client added without an owner goes to the lead distributor: the rule is on and
  /// the input asks for no owner, or nobody acts, or a supervisor/admin acts.
  static func leavesUnowned(_ db: Database, _ userId: Int64?, unowned: Bool) throws -> Bool {
    guard try CRMDatabase.loadSettings(db).leadRule != .off else { return false }
    if unowned { return true }
    guard let userId else { return true }
    let role = try String.fetchOne(
      db, sql: "SELECT role FROM app_user WHERE id = ?", arguments: [userId])
    return role != UserRole.manager.rawValue
  }

  /// Saves changed fields of an existing client. When `input.version` is set and the client
  /// changed since (another save bumped it), the save is merged with that change when `base`
  /// (the client as loaded at `input.version`) shows the two touched different fields, and
  /// refused with `CRMError.conflict` otherwise; nothing is saved then.
  public func update(_ input: Client, base: Client? = nil) throws(CRMError) {
    guard let id = input.id else { throw .other("update needs an id") }
    let checked = try validator.client(input)
    let at = now
    let access = db.access
    try db.write { db in
      guard let before = try Self.load(db, id, access) else {
        throw CRMError.notFound(what: validator.language.pick("client", "клиент"), id: id)
      }
      let c = try RowVersions.resolve(
        db, entity: "client", id: id, clientId: id, name: before.displayName, mine: checked,
        base: base?.version == input.version ? base : nil, theirs: before,
        yourVersion: input.version, currentVersion: before.version ?? 0,
        keys: Client.editableKeys, display: Self.fields)
      try recordEdit(
        db, clientId: id, entity: "client", entityId: id, before: before,
        old: Self.fields(before), new: Self.fields(c), at: at
      ) { try Self.writeClient(db, c, id: id, at: at) }
    }
  }

  /// Moves a client to the trash.
  public func delete(_ id: Int64) throws(CRMError) {
    try setDeleted(id, deleted: true)
  }

  /// Brings a client back from the trash.
  public func restore(_ id: Int64) throws(CRMError) {
    try setDeleted(id, deleted: false)
  }

  func setDeleted(_ id: Int64, deleted: Bool) throws(CRMError) {
    let at = now
    let lang = validator.language
    let access = db.access
    try db.write { db in
      guard let before = try Self.load(db, id, access) else {
        throw CRMError.notFound(what: lang.pick("client", "клиент"), id: id)
      }
      if (before.deletedAt != nil) == deleted {
        throw CRMError.invalid(
          field: before.name,
          problem: deleted
            ? lang.pick("already in the trash", "уже в корзине")
            : lang.pick("is not in the trash", "не в корзине"))
      }
      try recordTrash(
        db, clientId: id, entity: "client", table: "client", entityId: id, before: before,
        deleted: deleted, at: at)
    }
  }

  // MARK: Writing persons

  /// Adds a contact person to a client.
  @discardableResult
  public func addPerson(_ input: ContactPerson) throws(CRMError) -> Int64 {
    let p = try validator.person(input)
    let at = now
    let lang = validator.language
    let access = db.access
    return try db.write { db in
      guard try Self.load(db, p.clientId, access) != nil else {
        throw CRMError.notFound(what: lang.pick("client", "клиент"), id: p.clientId)
      }
      try db.execute(
        sql: """
          INSERT INTO contact_person (client_id, name, position, birthday, notes, created_at,
            updated_at, match_key)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          p.clientId, p.name, p.position, p.birthday, p.notes, at.timeIntervalSince1970,
          at.timeIntervalSince1970, DuplicateKeys.name(p.name),
        ])
      let id = db.lastInsertedRowID
      try Self.writeContacts(
        db, clientId: p.clientId, personId: id, phones: p.phones, emails: p.emails)
      let change = try recordChange(
        db, clientId: p.clientId, entity: "person", entityId: id, action: "insert",
        before: Client?.none, at: at)
      try auditFields(
        db, change: change, clientId: p.clientId, entity: "person", entityId: id, action: "insert",
        old: [:], new: Self.fields(p), at: at)
      try SearchIndex.update(db, clientId: p.clientId)
      return id
    }
  }

  /// Saves a changed contact person; `input.version` and `base` as for `update`.
  public func updatePerson(_ input: ContactPerson, base: ContactPerson? = nil) throws(CRMError) {
    guard let id = input.id else { throw .other("update needs an id") }
    let checked = try validator.person(input)
    let at = now
    let lang = validator.language
    let access = db.access
    try db.write { db in
      guard let before = try Self.visiblePerson(db, id, access) else {
        throw CRMError.notFound(what: lang.pick("contact person", "контактное лицо"), id: id)
      }
      let p = try RowVersions.resolve(
        db, entity: "person", id: id, clientId: before.clientId, name: before.name, mine: checked,
        base: base?.version == input.version ? base : nil, theirs: before,
        yourVersion: input.version, currentVersion: before.version ?? 0,
        keys: ContactPerson.editableKeys, display: Self.fields)
      try recordEdit(
        db, clientId: before.clientId, entity: "person", entityId: id, before: before,
        old: Self.fields(before), new: Self.fields(p), at: at
      ) { try Self.writePerson(db, p, id: id, clientId: before.clientId, at: at) }
    }
  }

  /// Moves a contact person to the trash (or back).
  public func deletePerson(_ id: Int64, deleted: Bool = true) throws(CRMError) {
    let at = now
    let lang = validator.language
    let access = db.access
    try db.write { db in
      guard let before = try Self.visiblePerson(db, id, access) else {
        throw CRMError.notFound(what: lang.pick("contact person", "контактное лицо"), id: id)
      }
      try recordTrash(
        db, clientId: before.clientId, entity: "person", table: "contact_person", entityId: id,
        before: before, deleted: deleted, at: at)
    }
  }

  /// `current` with only the fields an undone change touched set back to `before`, so undo never
  /// overwrites what somebody changed later in other fields. Works on the JSON form of the value;
  /// audit field names are the snake_case of its keys (`owner` and `deleted` are the exceptions).
  static func revert<T: Codable>(_ current: T, to before: T, fields: [String]) throws -> T {
    let encoder = JSONEncoder()
    var now =
      try JSONSerialization.jsonObject(with: encoder.encode(current)) as? [String: Any] ?? [:]
    let old =
      try JSONSerialization.jsonObject(with: encoder.encode(before)) as? [String: Any] ?? [:]
    for field in fields {
      let key: String
      switch field {
      case "owner": key = "ownerId"
      case "deleted": key = "deletedAt"
      default:
        let parts = field.split(separator: "_")
        key =
          String(parts[0])
          + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
      }
      now[key] = old[key]
    }
    return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: now))
  }

  // MARK: Duplicates

  /// Clients that look like the one about to be saved, found and scored by the duplicate
  /// engine (`DuplicateFinder`): same ИНН, phone or e-mail, or a similar folded name, from the
  /// same blocks and with the same bar as the scan (`crm dedupe`), so a pair the scan lists is
  /// one the card warns about. At most `limit`, best first.
  public func likelyDuplicates(of c: Client, limit: Int = 5) throws(CRMError)
    -> [DuplicateCandidate]
  {
    let access = db.access
    return try db.read { db in
      try DuplicateFinder.matches(
        db, for: c, minScore: DuplicateFinder.threshold, limit: limit
      ).compactMap { pair in
        // The pair holds `c` and the existing client; while `c` is unsaved it is the second, id 0.
        let mineFirst = pair.first == (c.id ?? 0)
        // A client the signed-in user may not see is not named to them.
        if try access.hides(db, clientId: mineFirst ? pair.second : pair.first) { return nil }
        return DuplicateCandidate(
          id: mineFirst ? pair.second : pair.first,
          name: mineFirst ? pair.secondName : pair.firstName,
          reason: DuplicateCandidate.Reason(pair))
      }
    }
  }

  static func display(_ r: Row) -> String {
    Client.displayName(name: r["name"], legalForm: r["legal_form"] ?? "")
  }

  // MARK: Storage helpers

  /// Inserts a client at version 0: `writeClient`'s UPDATE right after makes it version 1.
  /// `by`: the user who registers it (`created_by`: new clients are theirs whoever owns them).
  static func insertClient(_ db: Database, _ c: Client, at: Date, by user: Int64?) throws -> Int64 {
    try db.execute(
      sql:
        """
        INSERT INTO client (kind, name, name_key, created_at, updated_at, version, created_by)
        VALUES (?, ?, ?, ?, ?, 0, ?)
        """,
      arguments: [
        c.kind.rawValue, c.name, TextFold.sortKey(c.name), at.timeIntervalSince1970,
        at.timeIntervalSince1970, user,
      ])
    let id = db.lastInsertedRowID
    try writeClient(db, c, id: id, at: at)
    return id
  }

  static func writeClient(_ db: Database, _ c: Client, id: Int64, at: Date) throws {
    let key = DuplicateKeys.name(c.name)
    try db.execute(
      sql: """
        UPDATE client SET kind = ?, name = ?, name_key = ?, legal_form = ?, inn = ?, kpp = ?,
          ogrn = ?, website = ?, city = ?, city_key = ?, legal_address = ?, actual_address = ?,
          postal_address = ?, lead_source = ?, segment = ?, owner_id = ?, notes = ?,
          phone_sort = ?, updated_at = ?, match_key = ?, match_rkey = ?
        WHERE id = ?
        """,
      arguments: [
        c.kind.rawValue, c.name, TextFold.sortKey(c.name), c.legalForm, c.inn, c.kpp, c.ogrn,
        c.website, c.city, TextFold.sortKey(c.city), c.legalAddress, c.actualAddress,
        c.postalAddress, c.leadSource, c.segment, c.ownerId, c.notes,
        c.phones.first.map { $0.e164 ?? $0.raw } ?? "", at.timeIntervalSince1970,
        key, DuplicateKeys.reversed(key), id,
      ])
    try db.execute(
      sql: "DELETE FROM phone WHERE client_id = ? AND person_id IS NULL", arguments: [id])
    try db.execute(
      sql: "DELETE FROM email WHERE client_id = ? AND person_id IS NULL", arguments: [id])
    try writeContacts(db, clientId: id, personId: nil, phones: c.phones, emails: c.emails)
    try db.execute(sql: "DELETE FROM bank_account WHERE client_id = ?", arguments: [id])
    for (i, a) in c.bankAccounts.enumerated() {
      try db.execute(
        sql: """
          INSERT INTO bank_account (client_id, position, bik, account, corr_account, bank_name)
          VALUES (?, ?, ?, ?, ?, ?)
          """, arguments: [id, i, a.bik, a.account, a.corrAccount, a.bankName])
    }
    try db.execute(sql: "DELETE FROM client_tag WHERE client_id = ?", arguments: [id])
    for (i, t) in c.tags.enumerated() {
      try db.execute(
        sql:
          "INSERT OR IGNORE INTO client_tag (client_id, position, tag, tag_key) VALUES (?, ?, ?, ?)",
        arguments: [id, i, t, TextFold.key(t)])
    }
  }

  static func writePerson(_ db: Database, _ p: ContactPerson, id: Int64, clientId: Int64, at: Date)
    throws
  {
    try db.execute(
      sql: """
        UPDATE contact_person SET name = ?, position = ?, birthday = ?, notes = ?, updated_at = ?,
          match_key = ?
        WHERE id = ?
        """,
      arguments: [
        p.name, p.position, p.birthday, p.notes, at.timeIntervalSince1970,
        DuplicateKeys.name(p.name), id,
      ])
    try db.execute(sql: "DELETE FROM phone WHERE person_id = ?", arguments: [id])
    try db.execute(sql: "DELETE FROM email WHERE person_id = ?", arguments: [id])
    try writeContacts(db, clientId: clientId, personId: id, phones: p.phones, emails: p.emails)
  }

  static func writeContacts(
    _ db: Database, clientId: Int64, personId: Int64?, phones: [Phone], emails: [String]
  ) throws {
    for (i, p) in phones.enumerated() {
      try db.execute(
        sql: "INSERT INTO phone (client_id, person_id, position, raw, e164) VALUES (?, ?, ?, ?, ?)",
        arguments: [clientId, personId, i, p.raw, p.e164])
    }
    for (i, e) in emails.enumerated() {
      try db.execute(
        sql: """
          INSERT INTO email (client_id, person_id, position, address, address_key)
          VALUES (?, ?, ?, ?, ?)
          """, arguments: [clientId, personId, i, e, TextFold.key(e)])
    }
  }

  func recordChange<T: Encodable>(
    _ db: Database, clientId: Int64, entity: String, entityId: Int64, action: String, before: T?,
    at: Date, undoOf: Int64? = nil
  ) throws -> Int64 {
    let json = try before.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    try db.cachedStatement(
      sql: """
        INSERT INTO change_set (at, user_id, client_id, entity, entity_id, action, before_json, undo_of)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      at.timeIntervalSince1970, userId, clientId, entity, entityId, action, json, undoOf,
    ])
    return db.lastInsertedRowID
  }

  /// An edit of a client or person: nothing when no field changed; else the change (with the row
  /// as it was), `write`, the audit of the changed fields and the client's search entry.
  func recordEdit<T: Encodable>(
    _ db: Database, clientId: Int64, entity: String, entityId: Int64, before: T,
    old: [String: String], new: [String: String], at: Date, write: () throws -> Void
  ) throws {
    if old == new { return }
    let change = try recordChange(
      db, clientId: clientId, entity: entity, entityId: entityId, action: "update",
      before: before, at: at)
    try write()
    try auditFields(
      db, change: change, clientId: clientId, entity: entity, entityId: entityId,
      action: "update", old: old, new: new, at: at)
    try SearchIndex.update(db, clientId: clientId)
  }

  /// A client or person moved to the trash (`deleted`) or back: the change, `deleted_at` of its
  /// row in `table`, the audit and the client's search entry.
  func recordTrash<T: Encodable>(
    _ db: Database, clientId: Int64, entity: String, table: String, entityId: Int64, before: T,
    deleted: Bool, at: Date
  ) throws {
    let action = deleted ? "delete" : "restore"
    let change = try recordChange(
      db, clientId: clientId, entity: entity, entityId: entityId, action: action, before: before,
      at: at)
    try db.execute(
      sql: "UPDATE \(table) SET deleted_at = ?, updated_at = ? WHERE id = ?",
      arguments: [deleted ? at.timeIntervalSince1970 : nil, at.timeIntervalSince1970, entityId])
    try auditFields(
      db, change: change, clientId: clientId, entity: entity, entityId: entityId, action: action,
      old: ["deleted": deleted ? "" : "yes"], new: ["deleted": deleted ? "yes" : ""], at: at)
    try SearchIndex.update(db, clientId: clientId)
  }

  func auditFields(
    _ db: Database, change: Int64, clientId: Int64, entity: String, entityId: Int64, action: String,
    old: [String: String], new: [String: String], at: Date
  ) throws {
    for key in Set(old.keys).union(new.keys).sorted() {
      let o = old[key] ?? ""
      let n = new[key] ?? ""
      if o == n { continue }
      try db.cachedStatement(
        sql: """
          INSERT INTO audit (change_id, at, user_id, client_id, entity, entity_id, action, field, old, new)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(arguments: [
        change, at.timeIntervalSince1970, userId, clientId, entity, entityId, action, key,
        o.isEmpty ? nil : o, n.isEmpty ? nil : n,
      ])
    }
  }

  /// Field-by-field text of a client, as the history shows it.
  static func fields(_ c: Client) -> [String: String] {
    [
      "kind": c.kind.rawValue, "name": c.name, "legal_form": c.legalForm, "inn": c.inn,
      "kpp": c.kpp, "ogrn": c.ogrn, "phones": c.phones.map(\.raw).joined(separator: ", "),
      "emails": c.emails.joined(separator: ", "), "website": c.website, "city": c.city,
      "legal_address": c.legalAddress, "actual_address": c.actualAddress,
      "postal_address": c.postalAddress,
      "bank_accounts": c.bankAccounts.map {
        [$0.bik, $0.account, $0.corrAccount, $0.bankName].joined(separator: " / ")
      }.joined(separator: "; "),
      "lead_source": c.leadSource, "segment": c.segment,
      "owner": c.ownerId.map(String.init) ?? "", "tags": c.tags.joined(separator: ", "),
      "notes": c.notes,
    ]
  }

  static func fields(_ p: ContactPerson) -> [String: String] {
    [
      "name": p.name, "position": p.position, "phones": p.phones.map(\.raw).joined(separator: ", "),
      "emails": p.emails.joined(separator: ", "), "birthday": p.birthday, "notes": p.notes,
    ]
  }
}
