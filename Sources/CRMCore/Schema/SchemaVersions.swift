import Foundation
import GRDB

extension Schema {
  /// Row versions (migration v7-versions): the rows people edit in forms carry `version`, which
  /// every UPDATE bumps by one — whatever code path runs it (forms, bulk update, merge, import,
  /// handover, undo) — through an AFTER UPDATE trigger that fires only when the statement left
  /// the version alone (recursive triggers are off, so the trigger's own UPDATE does not fire it
  /// again). An edit carries the version it started from; `RowVersions.resolve` refuses a stale
  /// one unless a three-way merge is clean.
  static let v7 = """
    ALTER TABLE client ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE contact_person ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE deal ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE contact ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE TRIGGER client_versioned AFTER UPDATE ON client WHEN NEW.version = OLD.version BEGIN
      UPDATE client SET version = OLD.version + 1 WHERE id = NEW.id;
    END;
    CREATE TRIGGER person_versioned AFTER UPDATE ON contact_person
    WHEN NEW.version = OLD.version BEGIN
      UPDATE contact_person SET version = OLD.version + 1 WHERE id = NEW.id;
    END;
    CREATE TRIGGER deal_versioned AFTER UPDATE ON deal WHEN NEW.version = OLD.version BEGIN
      UPDATE deal SET version = OLD.version + 1 WHERE id = NEW.id;
    END;
    CREATE TRIGGER contact_versioned AFTER UPDATE ON contact WHEN NEW.version = OLD.version BEGIN
      UPDATE contact SET version = OLD.version + 1 WHERE id = NEW.id;
    END;
    -- Foreign-key actions look the child rows up by the child column: without an index every
    -- deleted person scanned all contacts and deals (SET NULL), every deleted client all tasks
    -- (CASCADE) — an import undo of 3,000 clients with persons on a base of a million contacts
    -- would hold the write lock for hours. Partial: most contacts and deals name no person.
    CREATE INDEX contact_by_person ON contact(person_id) WHERE person_id IS NOT NULL;
    CREATE INDEX deal_by_person ON deal(person_id) WHERE person_id IS NOT NULL;
    CREATE INDEX task_by_client ON task(client_id);
    CREATE INDEX contract_by_deal ON contract(deal_id) WHERE deal_id IS NOT NULL;
    CREATE INDEX offer_by_contact ON offer(contact_id) WHERE contact_id IS NOT NULL;
    CREATE INDEX deal_event_by_contact ON deal_event(contact_id) WHERE contact_id IS NOT NULL;
    CREATE INDEX campaign_client_by_contact ON campaign_client(contact_id)
      WHERE contact_id IS NOT NULL;
    """
}

/// A save refused because the row changed since the edit started: both versions, field by
/// field, and who changed it last and when.
public struct Conflict: Equatable, Sendable {
  /// `client`, `person`, `deal` or `contact`.
  public var entity: String
  public var id: Int64
  /// The client's, person's, deal's or contact's name as a person knows it.
  public var name: String
  /// The version the edit started from, and the one stored now.
  public var yourVersion: Int64
  public var currentVersion: Int64
  /// Field names (as the history names them) that both sides changed to different values; all
  /// the fields where mine and theirs differ when the edit carried no base to merge with.
  public var fields: [String]
  /// Field-by-field text of my version and of the stored one (as the history shows them).
  public var mine: [String: String]
  public var theirs: [String: String]
  /// Who changed the row last, and when (from the change log); nil when the log does not say.
  public var changedBy: String?
  public var changedAt: Date?

  public init(
    entity: String, id: Int64, name: String, yourVersion: Int64, currentVersion: Int64,
    fields: [String], mine: [String: String], theirs: [String: String], changedBy: String?,
    changedAt: Date?
  ) {
    self.entity = entity
    self.id = id
    self.name = name
    self.yourVersion = yourVersion
    self.currentVersion = currentVersion
    self.fields = fields
    self.mine = mine
    self.theirs = theirs
    self.changedBy = changedBy
    self.changedAt = changedAt
  }

  /// Every field whose text differs between the two versions, sorted.
  public var differing: [String] {
    Set(mine.keys).union(theirs.keys).filter { (mine[$0] ?? "") != (theirs[$0] ?? "") }.sorted()
  }

  public func entityName(_ l: Language) -> String {
    switch entity {
    case "client": return l.pick("client", "клиент")
    case "person": return l.pick("contact person", "контактное лицо")
    case "deal": return l.pick("deal", "сделка")
    default: return l.pick("contact", "контакт")
    }
  }

  public func message(_ l: Language, timeZone: TimeZone = .current) -> String {
    let who = changedBy ?? l.pick("someone", "кто-то")
    let when = changedAt.map { Formats(language: l, timeZone: timeZone).dateTime($0) } ?? "?"
    let list = fields.joined(separator: ", ")
    let title = name.contains("«") ? name : "«\(name)»"
    return l.pick(
      "\(entityName(l)) №\(id) \(title) was changed by \(who) at \(when) (version \(yourVersion) → \(currentVersion)) while you edited it; fields: \(list). Nothing was saved; run the command again.",
      "\(entityName(l)) №\(id) \(title): пока вы правили, изменения сохранил(а) \(who) в \(when) (версия \(yourVersion) → \(currentVersion)); поля: \(list). Ничего не сохранено; выполните команду ещё раз."
    )
  }
}

/// Version checks and three-way merges of the rows people edit.
enum RowVersions {
  /// `mine` as it can be saved over `theirs` (the stored row, version `current`), or a
  /// `CRMError.conflict`. `yourVersion` is what the edit started from; when it is current, mine
  /// is saved as is. Otherwise, with `base` (the row as loaded at `yourVersion`) the fields only
  /// I changed are put on top of theirs and fields only they changed are kept; a field both
  /// changed to different values is a conflict. Without a base every differing field is one.
  /// `keys` are the Codable keys the update writes.
  static func resolve<T: Codable>(
    _ db: Database, entity: String, id: Int64, clientId: Int64, name: String, mine: T, base: T?,
    theirs: T, yourVersion: Int64?, currentVersion: Int64, keys: [String],
    display: (T) -> [String: String]
  ) throws -> T {
    guard let yourVersion, yourVersion != currentVersion else { return mine }
    let m = try object(mine)
    let t = try object(theirs)
    var conflicts: [String] = []
    var merged = t
    if let base {
      let b = try object(base)
      for k in keys {
        let mineChanged = !same(m[k], b[k])
        let theirsChanged = !same(t[k], b[k])
        if mineChanged && theirsChanged && !same(m[k], t[k]) { conflicts.append(k) }
        if mineChanged { merged[k] = m[k] }
      }
    } else {
      conflicts = keys.filter { !same(m[$0], t[$0]) }
      merged = m
    }
    let mergedValue = try JSONDecoder().decode(
      T.self, from: JSONSerialization.data(withJSONObject: merged))
    if conflicts.isEmpty { return mergedValue }
    let last = try Row.fetchOne(
      db,
      sql: """
        SELECT cs.at, u.login FROM change_set cs LEFT JOIN app_user u ON u.id = cs.user_id
        WHERE cs.client_id = ? AND cs.entity = ? AND cs.entity_id = ?
        ORDER BY cs.id DESC LIMIT 1
        """, arguments: [clientId, entity, id])
    throw CRMError.conflict(
      Conflict(
        entity: entity, id: id, name: name, yourVersion: yourVersion,
        // "Mine" is what keeping mine saves: their row with only my changes on top, so a
        // field only they changed shows (and stays) their value, never my stale copy of it.
        currentVersion: currentVersion, fields: conflicts.map(fieldName),
        mine: display(mergedValue),
        theirs: display(theirs), changedBy: last?["login"],
        changedAt: (last?["at"] as Double?).map(Date.init(timeIntervalSince1970:))))
  }

  static func object<T: Encodable>(_ value: T) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
  }

  /// Equal JSON values (a missing key equals null).
  static func same(_ a: Any?, _ b: Any?) -> Bool {
    canonical(a) == canonical(b)
  }

  static func canonical(_ v: Any?) -> Data {
    let value: Any = v ?? NSNull()
    return (try? JSONSerialization.data(withJSONObject: [value], options: .sortedKeys)) ?? Data()
  }

  /// A Codable key as the history names the field: `legalForm` → `legal_form`, `ownerId` →
  /// `owner`, `dueAt` → `due`, `durationMinutes` → `duration`.
  static func fieldName(_ key: String) -> String {
    if key == "durationMinutes" { return "duration" }
    var out = ""
    for ch in key {
      if ch.isUppercase {
        out += "_" + ch.lowercased()
      } else {
        out.append(ch)
      }
    }
    for suffix in ["_id", "_at"] where out.hasSuffix(suffix) {
      out.removeLast(suffix.count)
    }
    return out
  }

  /// The stored version of a row.
  static func current(_ db: Database, table: String, id: Int64) throws -> Int64 {
    try Int64.fetchOne(db, sql: "SELECT version FROM \(table) WHERE id = ?", arguments: [id]) ?? 0
  }
}

extension Conflict {
  /// My edit moved onto the newest version: the fields I changed (against `base`, the row as I
  /// loaded it) from `mine`, every other field from `theirs`, and `theirs`'s version — what the
  /// form shows when a person goes back to it from the conflict screen.
  public static func rebase<T: Codable>(mine: T, base: T, theirs: T, keys: [String]) -> T {
    guard let m = try? RowVersions.object(mine), let b = try? RowVersions.object(base),
      var t = try? RowVersions.object(theirs)
    else { return theirs }
    for k in keys where !RowVersions.same(m[k], b[k]) { t[k] = m[k] }
    guard let data = try? JSONSerialization.data(withJSONObject: t),
      let out = try? JSONDecoder().decode(T.self, from: data)
    else { return theirs }
    return out
  }
}

/// A row people edit in forms: it carries the version it was loaded at.
public protocol Versioned: Codable {
  var version: Int64? { get set }
}

extension Client: Versioned {}
extension ContactPerson: Versioned {}
extension Deal: Versioned {}
extension Contact: Versioned {}

extension Client {
  /// The Codable keys `ClientService.update` writes.
  public static let editableKeys = [
    "kind", "name", "legalForm", "inn", "kpp", "ogrn", "phones", "emails", "website", "city",
    "legalAddress", "actualAddress", "postalAddress", "bankAccounts", "leadSource", "segment",
    "ownerId", "tags", "notes",
  ]
}

extension ContactPerson {
  public static let editableKeys = ["name", "position", "phones", "emails", "birthday", "notes"]
}

extension Deal {
  public static let editableKeys = [
    "personId", "title", "amount", "currency", "probability", "expectedClose", "source", "ownerId",
    "lostReason", "notes",
  ]
}

extension Contact {
  public static let editableKeys = [
    "kind", "direction", "dueAt", "durationMinutes", "doneAt", "subject", "outcome", "notes",
    "userId", "remindAt", "recurrence", "personId", "dealId",
  ]
}
