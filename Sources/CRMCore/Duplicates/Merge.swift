import Foundation
import GRDB

/// Which value of a field the survivor of a merge gets: its own, the other's, or (for lists and
/// notes) both, united without duplicates.
public enum MergeChoice: String, Codable, Sendable, CaseIterable {
  case keep
  case other
  case both
}

/// One field of a merge, side by side.
public struct MergeField: Equatable, Sendable {
  /// The audit key (`name`, `inn`, `phones`…).
  public var key: String
  public var label: String
  /// The survivor's and the other's text of the field.
  public var keep: String
  public var other: String
  /// What the survivor gets now, and the choices the field allows (lists and notes: both first).
  public var choice: MergeChoice
  public var choices: [MergeChoice]
  /// The text the survivor ends up with under `choice`.
  public var result: String
  public var differs: Bool { keep != other }
}

/// How many rows of one kind a merge moves (or moved) to the survivor.
public struct MergeMove: Equatable, Sendable {
  public var table: String
  public var label: String
  public var count: Int
}

/// Two clients side by side before a merge: the survivor's fields under the given choices and
/// what will move.
public struct MergePreview: Equatable, Sendable {
  public var keep: Client
  public var other: Client
  /// The survivor as it will be saved.
  public var merged: Client
  public var fields: [MergeField]
  public var moves: [MergeMove]
  /// Both have a valid ИНН and they differ: merged only when forced.
  public var conflictingINN: Bool
  /// What stops the merge whatever the choices (a contract number used by both), one per line.
  public var problems: [String]
}

/// Two contact persons side by side before a merge.
public struct PersonMergePreview: Equatable, Sendable {
  public var keep: ContactPerson
  public var other: ContactPerson
  public var merged: ContactPerson
  public var keepClient: String
  public var otherClient: String
  public var fields: [MergeField]
  public var moves: [MergeMove]
}

/// What a merge did (or would do, on a dry run).
public struct MergeResult: Equatable, Sendable {
  /// The `merge_log` row; nil on a dry run.
  public var mergeId: Int64?
  public var entity: String
  public var survivorId: Int64
  public var mergedId: Int64
  public var survivorName: String
  public var mergedName: String
  public var moved: [MergeMove]
  /// Rows that stayed with the merged one because the survivor already had their like
  /// (a unique key of some table), by table.
  public var left: [MergeMove]
  public var dryRun: Bool
}

/// What an undo of a merge put back.
public struct UnmergeResult: Equatable, Sendable {
  public var mergeId: Int64
  public var entity: String
  public var survivorId: Int64
  public var mergedId: Int64
  public var survivorName: String
  public var mergedName: String
  public var restored: [MergeMove]
  /// Recorded rows that were gone or no longer belonged to the survivor, so stayed where they are.
  public var skipped: Int
}

/// A merge in the log.
public struct MergeLogEntry: Equatable, Sendable {
  public var id: Int64
  public var entity: String
  public var survivorId: Int64
  public var mergedId: Int64
  public var at: Date
  public var user: String
  public var undoneAt: Date?
}

/// Merges duplicate clients and contact persons, and undoes merges. One transaction each; the
/// merged one goes to the trash, everything that pointed to it points to the survivor, and the
/// `merge_log` row remembers the before-state and every moved row for undo. Rules in
/// docs/data-model.md ("Merges").
public struct MergeService: CoreService {
  public let context: ServiceContext
  let clients: ClientService

  public init(_ context: ServiceContext) {
    self.context = context
    self.clients = context.clients
  }

  /// Client fields in the order the comparison shows them; lists and notes unite by default.
  static let clientFields = [
    "kind", "name", "legal_form", "inn", "kpp", "ogrn", "phones", "emails", "website", "city",
    "legal_address", "actual_address", "postal_address", "bank_accounts", "lead_source",
    "segment", "owner", "tags", "notes",
  ]
  static let personFields = ["name", "position", "phones", "emails", "birthday", "notes"]
  static let unitable: Set<String> = ["phones", "emails", "bank_accounts", "tags", "notes"]

  /// Tables whose rows go with a client but are not simply re-pointed: the client's own lists
  /// are united into the survivor's fields, phones and e-mails of persons follow their person,
  /// and history keeps the merged client's own changes.
  static let handledApart: Set<String> = [
    "phone", "email", "bank_account", "client_tag", "change_set", "audit",
    // Records of what happened to each client, which stay with the client they describe: an
    // import's list of the clients it created (its undo must never remove the survivor) and
    // the classification snapshots (a past class of the other client is not the survivor's).
    "import_item", "client_class",
  ]

  // MARK: Preview

  /// The two clients side by side with the survivor's fields under `choices` (a missing field
  /// gets its default: the survivor's value when set, else the other's; lists and notes both).
  public func preview(keep: Int64, other: Int64, choices: [String: MergeChoice] = [:])
    throws(CRMError) -> MergePreview
  {
    try db.read { db in try preview(db, keep: keep, other: other, choices: choices) }
  }

  func preview(_ db: Database, keep: Int64, other: Int64, choices: [String: MergeChoice]) throws
    -> MergePreview
  {
    let (a, b) = try loadPair(db, keep, other)
    for key in choices.keys where !Self.clientFields.contains(key) {
      throw CRMError.invalid(
        field: key,
        problem: l.pick(
          "no such field; fields: \(Self.clientFields.joined(separator: ", "))",
          "нет такого поля; поля: \(Self.clientFields.joined(separator: ", "))"))
    }
    let owners = try Dictionary(
      Row.fetchAll(db, sql: "SELECT id, login, name FROM app_user").map {
        ($0["id"] as Int64, ($0["name"] as String).isEmpty ? $0["login"] : $0["name"] as String)
      }, uniquingKeysWith: { x, _ in x })
    var fields: [MergeField] = []
    var merged = a
    let textA = ClientService.fields(a)
    let textB = ClientService.fields(b)
    func shown(_ c: Client, _ key: String, _ text: [String: String]) -> String {
      if key == "owner" { return c.ownerId.map { owners[$0] ?? "#\($0)" } ?? "" }
      if key == "kind" { return c.kind.name(l) }
      return text[key] ?? ""
    }
    let innSide = choices["inn"] ?? Self.defaultChoice(textA["inn"] ?? "", textB["inn"] ?? "")
    for key in Self.clientFields {
      let va = textA[key] ?? ""
      let vb = textB[key] ?? ""
      var choice: MergeChoice
      let allowed: [MergeChoice] =
        Self.unitable.contains(key) ? [.both, .keep, .other] : [.keep, .other]
      if let c = choices[key] {
        choice = c == .both && !allowed.contains(.both) ? .keep : c
      } else if Self.unitable.contains(key) {
        choice = .both
      } else if key == "kpp" || key == "ogrn" {
        // Requisites go together: a taken ИНН brings its КПП and ОГРН when the other has them.
        choice = innSide == .other && !vb.isEmpty ? .other : Self.defaultChoice(va, vb)
      } else if key == "kind" {
        choice = innSide == .other ? .other : .keep
      } else {
        choice = Self.defaultChoice(va, vb)
      }
      Self.apply(key, choice, from: b, to: &merged, keep: a)
      fields.append(
        MergeField(
          key: key, label: clients.validator.fieldName(key), keep: shown(a, key, textA),
          other: shown(b, key, textB), choice: choice, choices: allowed,
          result: ""))
    }
    let textM = ClientService.fields(merged)
    for i in fields.indices {
      fields[i].result = shown(merged, fields[i].key, textM)
    }
    merged.lastContactAt = [a.lastContactAt, b.lastContactAt].compactMap { $0 }.max()
    let conflict =
      Requisites.isValidINN(a.inn) && Requisites.isValidINN(b.inn) && a.inn != b.inn
    return MergePreview(
      keep: a, other: b, merged: merged, fields: fields, moves: try countMoves(db, from: other),
      conflictingINN: conflict, problems: try contractClashes(db, keep: a, other: b))
  }

  static func defaultChoice(_ keep: String, _ other: String) -> MergeChoice {
    keep.isEmpty && !other.isEmpty ? .other : .keep
  }

  /// Sets one field of `merged` from the survivor, the other, or both.
  static func apply(
    _ key: String, _ choice: MergeChoice, from b: Client, to m: inout Client,
    keep a: Client
  ) {
    func pick<T>(_ x: T, _ y: T) -> T { choice == .other ? y : x }
    switch key {
    case "kind": m.kind = pick(a.kind, b.kind)
    case "name": m.name = pick(a.name, b.name)
    case "legal_form": m.legalForm = pick(a.legalForm, b.legalForm)
    case "inn": m.inn = pick(a.inn, b.inn)
    case "kpp": m.kpp = pick(a.kpp, b.kpp)
    case "ogrn": m.ogrn = pick(a.ogrn, b.ogrn)
    case "website": m.website = pick(a.website, b.website)
    case "city": m.city = pick(a.city, b.city)
    case "legal_address": m.legalAddress = pick(a.legalAddress, b.legalAddress)
    case "actual_address": m.actualAddress = pick(a.actualAddress, b.actualAddress)
    case "postal_address": m.postalAddress = pick(a.postalAddress, b.postalAddress)
    case "lead_source": m.leadSource = pick(a.leadSource, b.leadSource)
    case "segment": m.segment = pick(a.segment, b.segment)
    case "owner": m.ownerId = pick(a.ownerId, b.ownerId)
    case "phones": m.phones = unite(a.phones, b.phones, choice, key: phoneKey)
    case "emails": m.emails = unite(a.emails, b.emails, choice) { TextFold.key($0) }
    case "tags": m.tags = unite(a.tags, b.tags, choice) { TextFold.key($0) }
    case "bank_accounts":
      m.bankAccounts = unite(a.bankAccounts, b.bankAccounts, choice) { $0.bik + "/" + $0.account }
    case "notes": m.notes = joinNotes(a.notes, b.notes, choice)
    default: break
    }
  }

  static func phoneKey(_ p: Phone) -> String {
    p.e164 ?? PhoneNumber.e164(p.raw) ?? p.raw.filter(\.isNumber)
  }

  /// The survivor's list, then the other's items it lacks (by `key`).
  static func unite<T>(_ a: [T], _ b: [T], _ choice: MergeChoice, key: (T) -> String) -> [T] {
    switch choice {
    case .keep: return a
    case .other: return b
    case .both:
      var seen = Set(a.map(key))
      var out = a
      for x in b where seen.insert(key(x)).inserted { out.append(x) }
      return out
    }
  }

  static func joinNotes(_ a: String, _ b: String, _ choice: MergeChoice) -> String {
    switch choice {
    case .keep: return a
    case .other: return b
    case .both:
      let x = a.trimmingCharacters(in: .whitespacesAndNewlines)
      let y = b.trimmingCharacters(in: .whitespacesAndNewlines)
      if y.isEmpty || x.contains(y) { return a }
      if x.isEmpty { return b }
      return a + "\n\n" + b
    }
  }

  func loadPair(_ db: Database, _ keep: Int64, _ other: Int64) throws -> (Client, Client) {
    let access = self.db.access
    let (a, b) = try mergePair(keep, other, what: l.pick("client", "клиент"), name: \.displayName) {
      try ClientService.load(db, $0, access)
    }
    for c in [a, b] where c.deletedAt != nil {
      throw CRMError.invalid(
        field: "\(c.displayName) (id \(c.id ?? 0))",
        problem: l.pick(
          "is in the trash; restore it first to merge",
          "в корзине; восстановите его, чтобы объединить"
        ))
    }
    return (a, b)
  }

  /// The two clients or persons of a merge by `load`: both must be visible to the signed-in
  /// user (a hidden one does not exist for them), and not the same one.
  func mergePair<T>(
    _ keep: Int64, _ other: Int64, what: String, name: (T) -> String,
    load: (Int64) throws -> T?
  ) throws -> (T, T) {
    guard let a = try load(keep) else { throw CRMError.notFound(what: what, id: keep) }
    guard let b = try load(other) else { throw CRMError.notFound(what: what, id: other) }
    if keep == other {
      throw CRMError.invalid(
        field: name(a),
        problem: l.pick(
          "cannot be merged with itself (both ids are \(keep))",
          "нельзя объединить с самим собой (оба номера \(keep))"))
    }
    return (a, b)
  }

  /// Tables with a `client_id` column that are re-pointed as a whole (rowid tables only).
  static func clientTables(_ db: Database, column: String = "client_id") throws -> [String] {
    try String.fetchAll(
      db,
      sql: """
        SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
        WHERE m.type = 'table' AND p.name = ? AND m.sql NOT LIKE '%WITHOUT ROWID%'
          AND m.sql NOT LIKE 'CREATE VIRTUAL%'
        ORDER BY m.name
        """, arguments: [column])
  }

  static let tableOrder = [
    "contact_person", "contact", "deal", "offer", "contract", "invoice", "payment", "act",
  ]

  func tableLabel(_ table: String) -> String {
    let names: [String: (String, String)] = [
      "contact_person": ("contact persons", "контактные лица"),
      "contact": ("contacts", "контакты"), "deal": ("deals", "сделки"),
      "offer": ("offers", "КП"), "contract": ("contracts", "договоры"),
      "invoice": ("invoices", "счета"), "payment": ("payments", "платежи"),
      "act": ("acts", "акты"), "phone": ("phones", "телефоны"), "email": ("e-mails", "e-mail"),
      "change_set": ("history changes", "изменения в истории"),
      "audit": ("history entries", "записи истории"),
    ]
    guard let pair = names[table] else { return table }
    return l.pick(pair.0, pair.1)
  }

  func sortedMoves(_ counts: [String: Int]) -> [MergeMove] {
    counts.filter { $0.value > 0 }.keys.sorted {
      let i = Self.tableOrder.firstIndex(of: $0) ?? 99
      let j = Self.tableOrder.firstIndex(of: $1) ?? 99
      return i != j ? i < j : $0 < $1
    }.map { MergeMove(table: $0, label: tableLabel($0), count: counts[$0] ?? 0) }
  }

  func countMoves(_ db: Database, from other: Int64) throws -> [MergeMove] {
    var counts: [String: Int] = [:]
    for t in try Self.clientTables(db) where !Self.handledApart.contains(t) {
      counts[t] =
        try Int.fetchOne(
          db, sql: "SELECT count(*) FROM \"\(t)\" WHERE client_id = ?", arguments: [other]) ?? 0
    }
    counts["offer"] =
      try Int.fetchOne(
        db,
        sql:
          "SELECT count(*) FROM offer WHERE deal_id IN (SELECT id FROM deal WHERE client_id = ?)",
        arguments: [other]) ?? 0
    return sortedMoves(counts)
  }

  /// Contracts of the two clients with the same number (numbers are unique per client).
  func contractClashes(_ db: Database, keep: Client, other: Client) throws -> [String] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT o.id AS oid, o.number AS onum, k.id AS kid, k.number AS knum
        FROM contract o JOIN contract k ON k.number_key = o.number_key AND k.client_id = ?
        WHERE o.client_id = ? ORDER BY o.id
        """, arguments: [keep.id, other.id]
    ).map { r in
      let o: String = r["onum"]
      let k: String = r["knum"]
      let oid: Int64 = r["oid"]
      let kid: Int64 = r["kid"]
      return l.pick(
        "contract № \(o) (id \(oid)) of \(other.displayName) has the number of contract № \(k) "
          + "(id \(kid)) of \(keep.displayName); renumber one of them first",
        "договор № \(o) (id \(oid)) клиента \(other.displayName) совпадает по номеру с договором "
          + "№ \(k) (id \(kid)) клиента \(keep.displayName); сначала измените номер одного из них")
    }
  }

  // MARK: Merging clients

  /// Merges `other` into `keep`: the survivor gets the chosen fields, every row of the other
  /// (persons with their phones and e-mails, contacts, deals, contracts, invoices, payments, acts,
  /// and any other table with a `client_id`) moves to it, with the history of those rows; the
  /// other goes to the trash with a note. Refused for the same id twice, a client in the trash,
  /// a contract number both use, and two valid different ИНН unless `force`.
  @discardableResult
  public func merge(
    keep: Int64, other: Int64, choices: [String: MergeChoice] = [:], force: Bool = false,
    dryRun: Bool = false
  ) throws(CRMError) -> MergeResult {
    let at = now
    return try db.write { db in
      let p = try preview(db, keep: keep, other: other, choices: choices)
      if p.conflictingINN && !force {
        throw CRMError.invalid(
          field: l.pick("INN", "ИНН"),
          problem: l.pick(
            "\(p.keep.displayName) has \(p.keep.inn) and \(p.other.displayName) has "
              + "\(p.other.inn): different valid INNs are different companies; merge anyway "
              + "only if you are sure (--force)",
            "у \(p.keep.displayName) ИНН \(p.keep.inn), у \(p.other.displayName) ИНН "
              + "\(p.other.inn): разные действительные ИНН — это разные организации; объединяйте, "
              + "только если уверены (--force)"))
      }
      if let problem = p.problems.first {
        throw CRMError.invalid(field: l.pick("contract", "договор"), problem: problem)
      }
      var merged = try clients.validator.client(p.merged)
      merged.id = keep
      var result = MergeResult(
        mergeId: nil, entity: "client", survivorId: keep, mergedId: other,
        survivorName: merged.displayName, mergedName: p.other.displayName, moved: [], left: [],
        dryRun: dryRun)
      try db.inSavepoint {
        result = try mergeClients(db, p, merged: merged, at: at, into: result)
        return dryRun ? .rollback : .commit
      }
      if dryRun { result.mergeId = nil }
      return result
    }
  }

  struct Snapshot: Codable {
    var keep: Client
    var other: Client
  }

  struct PersonSnapshot: Codable {
    var keep: ContactPerson
    var other: ContactPerson
  }

  /// What a merge moved: row ids per table, the change rows it wrote, and for undo the fields
  /// of the survivor it changed.
  struct Moved: Codable {
    var rows: [String: [Int64]] = [:]
    var changes: [Int64] = []
    var fields: [String] = []
    /// Person merges across clients: rows of another client than the survivor's that named
    /// the merged person and were left without one, by table.
    var unlinked: [String: [Int64]]? = nil
  }

  func mergeClients(
    _ db: Database, _ p: MergePreview, merged: Client, at: Date, into result: MergeResult
  ) throws -> MergeResult {
    var result = result
    let keep = p.keep.id ?? 0
    let other = p.other.id ?? 0
    var moved = Moved()
    var left: [String: Int] = [:]
    var counts: [String: Int] = [:]
    for t in try Self.clientTables(db) where !Self.handledApart.contains(t) {
      let ids = try Int64.fetchAll(
        db, sql: "SELECT rowid FROM \"\(t)\" WHERE client_id = ? ORDER BY rowid", arguments: [other]
      )
      if ids.isEmpty { continue }
      // A row whose like the survivor already has under a unique key stays with the other.
      try db.execute(
        sql: "UPDATE OR IGNORE \"\(t)\" SET client_id = ? WHERE client_id = ?",
        arguments: [keep, other])
      let stayed = Set(
        try Int64.fetchAll(
          db, sql: "SELECT rowid FROM \"\(t)\" WHERE client_id = ?", arguments: [other]))
      let went = ids.filter { !stayed.contains($0) }
      moved.rows[t] = went
      counts[t] = went.count
      if !stayed.isEmpty { left[t] = stayed.count }
    }
    // Phones and e-mails of persons follow their person.
    for t in ["phone", "email"] {
      try db.execute(
        sql: """
          UPDATE \(t) SET client_id = ?
          WHERE client_id = ? AND person_id IN (SELECT id FROM contact_person WHERE client_id = ?)
          """, arguments: [keep, other, keep])
    }
    counts["offer"] =
      try Int.fetchOne(
        db,
        sql: "SELECT count(*) FROM offer WHERE deal_id IN (SELECT value FROM json_each(?))",
        arguments: [Self.json(moved.rows["deal"] ?? [])]) ?? 0
    // The history of moved rows goes with them; the other's own changes stay with it.
    for t in ["change_set", "audit"] {
      let ids = try Int64.fetchAll(
        db, sql: "SELECT id FROM \(t) WHERE client_id = ? AND entity <> 'client' ORDER BY id",
        arguments: [other])
      if ids.isEmpty { continue }
      try db.execute(
        sql: "UPDATE \(t) SET client_id = ? WHERE id IN (SELECT value FROM json_each(?))",
        arguments: [keep, Self.json(ids)])
      moved.rows[t] = ids
    }
    // The survivor's fields.
    let before = ClientService.fields(p.keep)
    let after = ClientService.fields(merged)
    moved.fields = Self.clientFields.filter { before[$0] != after[$0] }
    let keepChange = try clients.recordChange(
      db, clientId: keep, entity: "client", entityId: keep, action: "merge", before: p.keep, at: at)
    try ClientService.writeClient(db, merged, id: keep, at: at)
    try db.execute(
      sql: "UPDATE client SET last_contact_at = ? WHERE id = ?",
      arguments: [p.merged.lastContactAt?.timeIntervalSince1970, keep])
    var old = before
    var new = after
    old["merged"] = ""
    new["merged"] = "#\(other) \(p.other.displayName)"
    try clients.auditFields(
      db, change: keepChange, clientId: keep, entity: "client", entityId: keep, action: "merge",
      old: old, new: new, at: at)
    // The other to the trash, with a note of where it went.
    let note = l.pick(
      "Merged into #\(keep) \(merged.displayName) on \(Self.day(at)).",
      "Объединён с #\(keep) \(merged.displayName) \(Self.day(at)).")
    let otherNotes = p.other.notes.isEmpty ? note : p.other.notes + "\n\n" + note
    let otherChange = try clients.recordChange(
      db, clientId: other, entity: "client", entityId: other, action: "merge", before: p.other,
      at: at)
    try db.execute(
      sql: "UPDATE client SET deleted_at = ?, updated_at = ?, notes = ? WHERE id = ?",
      arguments: [at.timeIntervalSince1970, at.timeIntervalSince1970, otherNotes, other])
    try clients.auditFields(
      db, change: otherChange, clientId: other, entity: "client", entityId: other,
      action: "merge", old: ["deleted": "", "notes": p.other.notes, "merged": ""],
      new: [
        "deleted": "yes", "notes": otherNotes, "merged": "→ #\(keep) \(merged.displayName)",
      ], at: at)
    moved.changes = [keepChange, otherChange]
    try SearchIndex.update(db, clientId: keep)
    try SearchIndex.update(db, clientId: other)
    try db.execute(
      sql: """
        INSERT INTO merge_log (entity, survivor_id, merged_id, at, user_id, before_json, moved_json)
        VALUES ('client', ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        keep, other, at.timeIntervalSince1970, userId,
        try Self.encode(Snapshot(keep: p.keep, other: p.other)), try Self.encode(moved),
      ])
    result.mergeId = db.lastInsertedRowID
    result.moved = sortedMoves(counts)
    result.left = sortedMoves(left)
    return result
  }

  static func day(_ d: Date) -> String {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(identifier: "UTC")!
    let c = cal.dateComponents([.year, .month, .day], from: d)
    return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
  }

  static func json(_ ids: [Int64]) -> String {
    "[" + ids.map(String.init).joined(separator: ",") + "]"
  }

  static func encode<T: Encodable>(_ v: T) throws -> String {
    String(decoding: try JSONEncoder().encode(v), as: UTF8.self)
  }

  // MARK: Persons

  /// Two contact persons side by side (of one client or of two).
  public func previewPersons(keep: Int64, other: Int64, choices: [String: MergeChoice] = [:])
    throws(CRMError) -> PersonMergePreview
  {
    try db.read { db in try previewPersons(db, keep: keep, other: other, choices: choices) }
  }

  func previewPersons(
    _ db: Database, keep: Int64, other: Int64, choices: [String: MergeChoice]
  ) throws -> PersonMergePreview {
    let access = self.db.access
    let (a, b) = try mergePair(
      keep, other, what: l.pick("contact person", "контактное лицо"), name: \.name
    ) { try ClientService.visiblePerson(db, $0, access) }
    for p in [a, b] where p.deletedAt != nil {
      throw CRMError.invalid(
        field: "\(p.name) (id \(p.id ?? 0))",
        problem: l.pick("is deleted; restore it first", "удалено; сначала восстановите"))
    }
    for key in choices.keys where !Self.personFields.contains(key) {
      throw CRMError.invalid(
        field: key,
        problem: l.pick(
          "no such field; fields: \(Self.personFields.joined(separator: ", "))",
          "нет такого поля; поля: \(Self.personFields.joined(separator: ", "))"))
    }
    var m = a
    for key in Self.personFields {
      let ta = ClientService.fields(a)[key] ?? ""
      let tb = ClientService.fields(b)[key] ?? ""
      let choice =
        choices[key] ?? (Self.unitable.contains(key) ? .both : Self.defaultChoice(ta, tb))
      let c = choice == .both && !Self.unitable.contains(key) ? MergeChoice.keep : choice
      func pick(_ x: String, _ y: String) -> String { c == .other ? y : x }
      switch key {
      case "name": m.name = pick(a.name, b.name)
      case "position": m.position = pick(a.position, b.position)
      case "birthday": m.birthday = pick(a.birthday, b.birthday)
      case "notes": m.notes = Self.joinNotes(a.notes, b.notes, c)
      case "phones": m.phones = Self.unite(a.phones, b.phones, c, key: Self.phoneKey)
      case "emails": m.emails = Self.unite(a.emails, b.emails, c) { TextFold.key($0) }
      default: break
      }
    }
    let ta = ClientService.fields(a)
    let tb = ClientService.fields(b)
    let tm = ClientService.fields(m)
    let fields = Self.personFields.map { key in
      let c =
        choices[key]
        ?? (Self.unitable.contains(key)
          ? .both
          : Self.defaultChoice(
            ta[key] ?? "", tb[key] ?? ""))
      return MergeField(
        key: key, label: clients.validator.fieldName(key), keep: ta[key] ?? "",
        other: tb[key] ?? "", choice: c,
        choices: Self.unitable.contains(key) ? [.both, .keep, .other] : [.keep, .other],
        result: tm[key] ?? "")
    }
    var counts: [String: Int] = [:]
    for t in try Self.clientTables(db, column: "person_id") where !["phone", "email"].contains(t) {
      counts[t] =
        try Int.fetchOne(
          db, sql: "SELECT count(*) FROM \"\(t)\" WHERE person_id = ?", arguments: [other]) ?? 0
    }
    func clientName(_ id: Int64) throws -> String {
      try ClientService.load(db, id)?.displayName ?? "#\(id)"
    }
    return PersonMergePreview(
      keep: a, other: b, merged: m, keepClient: try clientName(a.clientId),
      otherClient: try clientName(b.clientId), fields: fields, moves: sortedMoves(counts))
  }

  /// Merges contact person `other` into `keep`: phones and e-mails united, the chosen fields,
  /// every contact and deal naming the other names the survivor; the other is deleted (to the
  /// trash). The two may be of different clients: contacts and deals stay with their client, so
  /// those of another client than the survivor's are left without a person (`left` counts them;
  /// undo names the person again).
  @discardableResult
  public func mergePersons(
    keep: Int64, other: Int64, choices: [String: MergeChoice] = [:], dryRun: Bool = false
  ) throws(CRMError) -> MergeResult {
    let at = now
    return try db.write { db in
      let p = try previewPersons(db, keep: keep, other: other, choices: choices)
      var merged = try clients.validator.person(p.merged)
      merged.id = keep
      var result = MergeResult(
        mergeId: nil, entity: "person", survivorId: keep, mergedId: other,
        survivorName: merged.name, mergedName: p.other.name, moved: [], left: [], dryRun: dryRun)
      try db.inSavepoint {
        var moved = Moved()
        var counts: [String: Int] = [:]
        var unlinked: [String: Int] = [:]
        for t in try Self.clientTables(db, column: "person_id")
        where !["phone", "email"].contains(t) {
          // A contact or deal names a person of its own client: rows of another client than
          // the survivor's keep their client and lose the person (undo gives it back).
          let scoped =
            try Int.fetchOne(
              db, sql: "SELECT count(*) FROM pragma_table_info(?) WHERE name = 'client_id'",
              arguments: [t]) ?? 0 > 0
          let same = scoped ? " AND client_id IS \(p.keep.clientId)" : ""
          let ids = try Int64.fetchAll(
            db, sql: "SELECT rowid FROM \"\(t)\" WHERE person_id = ?\(same) ORDER BY rowid",
            arguments: [other])
          if !ids.isEmpty {
            try db.execute(
              sql: "UPDATE \"\(t)\" SET person_id = ? WHERE person_id = ?\(same)",
              arguments: [keep, other])
            moved.rows[t] = ids
            counts[t] = ids.count
          }
          let rest = try Int64.fetchAll(
            db, sql: "SELECT rowid FROM \"\(t)\" WHERE person_id = ? ORDER BY rowid",
            arguments: [other])
          if !rest.isEmpty {
            try db.execute(
              sql: "UPDATE \"\(t)\" SET person_id = NULL WHERE person_id = ?", arguments: [other])
            moved.unlinked = (moved.unlinked ?? [:]).merging([t: rest]) { a, _ in a }
            unlinked[t] = rest.count
          }
        }
        let before = ClientService.fields(p.keep)
        let after = ClientService.fields(merged)
        moved.fields = Self.personFields.filter { before[$0] != after[$0] }
        let keepChange = try clients.recordChange(
          db, clientId: p.keep.clientId, entity: "person", entityId: keep, action: "merge",
          before: p.keep, at: at)
        try ClientService.writePerson(db, merged, id: keep, clientId: p.keep.clientId, at: at)
        var old = before
        var new = after
        old["merged"] = ""
        new["merged"] = "#\(other) \(p.other.name) (\(p.otherClient))"
        try clients.auditFields(
          db, change: keepChange, clientId: p.keep.clientId, entity: "person", entityId: keep,
          action: "merge", old: old, new: new, at: at)
        let otherChange = try clients.recordChange(
          db, clientId: p.other.clientId, entity: "person", entityId: other, action: "merge",
          before: p.other, at: at)
        try db.execute(
          sql: "UPDATE contact_person SET deleted_at = ?, updated_at = ? WHERE id = ?",
          arguments: [at.timeIntervalSince1970, at.timeIntervalSince1970, other])
        try clients.auditFields(
          db, change: otherChange, clientId: p.other.clientId, entity: "person", entityId: other,
          action: "merge", old: ["deleted": "", "merged": ""],
          new: ["deleted": "yes", "merged": "→ #\(keep) \(merged.name) (\(p.keepClient))"], at: at)
        moved.changes = [keepChange, otherChange]
        try SearchIndex.update(db, clientId: p.keep.clientId)
        if p.other.clientId != p.keep.clientId {
          try SearchIndex.update(db, clientId: p.other.clientId)
        }
        try db.execute(
          sql: """
            INSERT INTO merge_log (entity, survivor_id, merged_id, at, user_id, before_json,
              moved_json)
            VALUES ('person', ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            keep, other, at.timeIntervalSince1970, userId,
            try Self.encode(PersonSnapshot(keep: p.keep, other: p.other)), try Self.encode(moved),
          ])
        result.mergeId = dryRun ? nil : db.lastInsertedRowID
        result.moved = sortedMoves(counts)
        result.left = sortedMoves(unlinked)
        return dryRun ? .rollback : .commit
      }
      return result
    }
  }

  // MARK: Undo

  /// The merges the acting user may see, newest first: their own, and others' of two clients
  /// (or persons of clients) they may both see (an admin sees every merge).
  public func log(limit: Int = 50) throws(CRMError) -> [MergeLogEntry] {
    try db.visibleLogRows(
      "merge_log", clients: LogClients.merge, userId: userId, noLogin: "?", limit: limit
    ) {
      MergeLogEntry(
        id: $0["id"], entity: $0["entity"], survivorId: $0["survivor_id"],
        mergedId: $0["merged_id"], at: Date(timeIntervalSince1970: $0["at"]),
        user: $0["login"],
        undoneAt: $0.timestamp("undone_at"))
    }
  }

  /// Undoes the acting user's latest merge that is not undone; nil when there is none.
  public func undoLast() throws(CRMError) -> UnmergeResult? {
    let at = now
    return try db.write { db -> UnmergeResult? in
      guard
        let id = try Int64.fetchOne(
          db,
          sql: """
            SELECT id FROM merge_log WHERE user_id IS ? AND undone_at IS NULL
            ORDER BY id DESC LIMIT 1
            """, arguments: [userId])
      else { return nil }
      return try undo(db, id, at: at)
    }
  }

  /// Undoes merge `id`: the rows it moved go back (those gone or moved elsewhere since are
  /// skipped and counted), the survivor's fields the merge changed get their old values (its
  /// later edits of other fields stay), the merged one comes back from the trash as it was.
  /// Refused when already undone, or when either of the two took part in a later merge that is
  /// not undone (undo that one first).
  @discardableResult
  public func undo(_ id: Int64) throws(CRMError) -> UnmergeResult {
    let at = now
    return try db.write { db in try undo(db, id, at: at) }
  }

  /// The merge that wrote change `changeId`, for `ClientService.undoLast`.
  static func mergeId(_ db: Database, change changeId: Int64) throws -> Int64? {
    try Int64.fetchOne(
      db,
      sql: """
        SELECT id FROM merge_log WHERE undone_at IS NULL
          AND EXISTS (SELECT 1 FROM json_each(moved_json, '$.changes') WHERE value = ?)
        ORDER BY id DESC LIMIT 1
        """, arguments: [changeId])
  }

  /// A merge the acting user does not see in `log` does not exist for them; one of a client
  /// they may not see (now: one of the two may have been handed over since) is refused.
  func undo(_ db: Database, _ id: Int64, at: Date) throws -> UnmergeResult {
    guard
      let row = try Row.fetchOne(db, sql: "SELECT * FROM merge_log WHERE id = ?", arguments: [id]),
      try self.db.seesLogEntry(db, "merge_log", id: id, clients: LogClients.merge, userId: userId)
    else { throw CRMError.notFound(what: l.pick("merge", "объединение"), id: id) }
    let hidden = try self.db.access.hiddenCount(
      db, "merge_log", id: id, clients: LogClients.merge)
    if hidden > 0 {
      throw self.db.refuseUndo(
        l.pick("merge \(id)", "объединение \(id)"), hidden: hidden, language: l)
    }
    let entity: String = row["entity"]
    let keep: Int64 = row["survivor_id"]
    let other: Int64 = row["merged_id"]
    if let done = row["undone_at"] as Double? {
      throw CRMError.invalid(
        field: l.pick("merge \(id)", "объединение \(id)"),
        problem: l.pick(
          "was already undone on \(Self.day(Date(timeIntervalSince1970: done)))",
          "уже отменено \(Self.day(Date(timeIntervalSince1970: done)))"))
    }
    if let later = try Int64.fetchOne(
      db,
      sql: """
        SELECT id FROM merge_log WHERE entity = ? AND id > ? AND undone_at IS NULL
          AND (survivor_id IN (?, ?) OR merged_id IN (?, ?))
        ORDER BY id DESC LIMIT 1
        """, arguments: [entity, id, keep, other, keep, other])
    {
      throw CRMError.invalid(
        field: l.pick("merge \(id)", "объединение \(id)"),
        problem: l.pick(
          "one of the two was merged again later (merge \(later)); undo that one first",
          "один из двух позже объединён снова (объединение \(later)); сначала отмените его"))
    }
    let moved = try JSONDecoder().decode(Moved.self, from: Data((row["moved_json"] as String).utf8))
    let json = Data((row["before_json"] as String).utf8)
    var counts: [String: Int] = [:]
    var skipped = 0
    let column = entity == "client" ? "client_id" : "person_id"
    let existing = Set(try Self.clientTables(db, column: column)).union(["change_set", "audit"])
    for (t, ids) in moved.rows.sorted(by: { $0.key < $1.key }) {
      guard existing.contains(t) else {
        skipped += ids.count
        continue
      }
      let key = t == "change_set" || t == "audit" ? "id" : "rowid"
      try db.execute(
        sql: """
          UPDATE OR IGNORE "\(t)" SET \(column) = ?
          WHERE \(key) IN (SELECT value FROM json_each(?)) AND \(column) = ?
          """, arguments: [other, Self.json(ids), keep])
      let n = db.changesCount
      counts[t] = n
      skipped += ids.count - n
    }
    for (t, ids) in (moved.unlinked ?? [:]).sorted(by: { $0.key < $1.key })
    where existing.contains(t) {
      try db.execute(
        sql: """
          UPDATE "\(t)" SET person_id = ?
          WHERE rowid IN (SELECT value FROM json_each(?)) AND person_id IS NULL
          """, arguments: [other, Self.json(ids)])
      counts[t, default: 0] += db.changesCount
      skipped += ids.count - db.changesCount
    }
    let survivorName: String
    let mergedName: String
    var undoChanges: [Int64] = []
    if entity == "client" {
      let snap = try JSONDecoder().decode(Snapshot.self, from: json)
      // Rows about persons that went back, added to the survivor since, go back with them.
      let persons = Self.json(moved.rows["contact_person"] ?? [])
      for t in try Self.clientTables(db) where !Self.handledApart.contains(t) {
        let hasPerson =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM pragma_table_info(?) WHERE name = 'person_id'",
            arguments: [t]) ?? 0
        if hasPerson == 0 { continue }
        try db.execute(
          sql: """
            UPDATE OR IGNORE "\(t)" SET client_id = ?
            WHERE client_id = ? AND person_id IN (SELECT value FROM json_each(?))
            """, arguments: [other, keep, persons])
        counts[t, default: 0] += db.changesCount
      }
      for t in ["phone", "email"] {
        try db.execute(
          sql: """
            UPDATE \(t) SET client_id = ?
            WHERE client_id = ? AND person_id IN (SELECT id FROM contact_person WHERE client_id = ?)
            """, arguments: [other, keep, other])
      }
      guard let current = try ClientService.load(db, keep) else {
        throw CRMError.notFound(what: l.pick("client", "клиент"), id: keep)
      }
      var target = try ClientService.revert(current, to: snap.keep, fields: moved.fields)
      target.deletedAt = current.deletedAt
      let c1 = try clients.recordChange(
        db, clientId: keep, entity: "client", entityId: keep, action: "unmerge", before: current,
        at: at, undoOf: moved.changes.first)
      try ClientService.writeClient(db, target, id: keep, at: at)
      let mergedLast = [snap.keep.lastContactAt, snap.other.lastContactAt].compactMap { $0 }.max()
      if current.lastContactAt == mergedLast {
        try db.execute(
          sql: "UPDATE client SET last_contact_at = ? WHERE id = ?",
          arguments: [snap.keep.lastContactAt?.timeIntervalSince1970, keep])
      }
      var old = ClientService.fields(current)
      var new = ClientService.fields(target)
      old["merged"] = "#\(other) \(snap.other.displayName)"
      new["merged"] = ""
      try clients.auditFields(
        db, change: c1, clientId: keep, entity: "client", entityId: keep, action: "unmerge",
        old: old, new: new, at: at)
      let currentOther = try ClientService.load(db, other) ?? snap.other
      let c2 = try clients.recordChange(
        db, clientId: other, entity: "client", entityId: other, action: "unmerge",
        before: currentOther, at: at, undoOf: moved.changes.last)
      try ClientService.writeClient(db, snap.other, id: other, at: at)
      try db.execute(
        sql: "UPDATE client SET deleted_at = ?, last_contact_at = ? WHERE id = ?",
        arguments: [
          snap.other.deletedAt?.timeIntervalSince1970,
          snap.other.lastContactAt?.timeIntervalSince1970, other,
        ])
      var oldOther = ClientService.fields(currentOther)
      oldOther["deleted"] = currentOther.deletedAt == nil ? "" : "yes"
      var newOther = ClientService.fields(snap.other)
      newOther["deleted"] = ""
      try clients.auditFields(
        db, change: c2, clientId: other, entity: "client", entityId: other, action: "unmerge",
        old: oldOther, new: newOther, at: at)
      undoChanges = [c1, c2]
      try SearchIndex.update(db, clientId: keep)
      try SearchIndex.update(db, clientId: other)
      survivorName = target.displayName
      mergedName = snap.other.displayName
    } else {
      let snap = try JSONDecoder().decode(PersonSnapshot.self, from: json)
      guard let current = try ClientService.loadPerson(db, keep) else {
        throw CRMError.notFound(what: l.pick("contact person", "контактное лицо"), id: keep)
      }
      var target = try ClientService.revert(current, to: snap.keep, fields: moved.fields)
      target.deletedAt = current.deletedAt
      let c1 = try clients.recordChange(
        db, clientId: current.clientId, entity: "person", entityId: keep, action: "unmerge",
        before: current, at: at, undoOf: moved.changes.first)
      try ClientService.writePerson(db, target, id: keep, clientId: current.clientId, at: at)
      try clients.auditFields(
        db, change: c1, clientId: current.clientId, entity: "person", entityId: keep,
        action: "unmerge",
        old: ClientService.fields(current).merging(["merged": "#\(other)"]) {
          _, n in n
        }, new: ClientService.fields(target), at: at)
      let otherClient =
        try Int64.fetchOne(
          db, sql: "SELECT client_id FROM contact_person WHERE id = ?", arguments: [other])
        ?? snap.other.clientId
      let c2 = try clients.recordChange(
        db, clientId: otherClient, entity: "person", entityId: other, action: "unmerge",
        before: snap.other, at: at, undoOf: moved.changes.last)
      try ClientService.writePerson(db, snap.other, id: other, clientId: otherClient, at: at)
      try db.execute(
        sql: "UPDATE contact_person SET deleted_at = NULL WHERE id = ?", arguments: [other])
      try clients.auditFields(
        db, change: c2, clientId: otherClient, entity: "person", entityId: other,
        action: "unmerge", old: ["deleted": "yes"], new: ["deleted": ""], at: at)
      undoChanges = [c1, c2]
      try SearchIndex.update(db, clientId: current.clientId)
      if otherClient != current.clientId { try SearchIndex.update(db, clientId: otherClient) }
      survivorName = target.name
      mergedName = snap.other.name
    }
    for (change, undoneBy) in zip(moved.changes, undoChanges) {
      try db.execute(
        sql: "UPDATE change_set SET undone_by = ? WHERE id = ?", arguments: [undoneBy, change])
    }
    try db.execute(
      sql: "UPDATE merge_log SET undone_at = ? WHERE id = ?",
      arguments: [at.timeIntervalSince1970, id])
    return UnmergeResult(
      mergeId: id, entity: entity, survivorId: keep, mergedId: other, survivorName: survivorName,
      mergedName: mergedName, restored: sortedMoves(counts), skipped: skipped)
  }
}
