import Foundation
import GRDB

// MARK: Input

/// One client read from an import file, before validation: the client, its contact persons
/// (their `clientId` is ignored) and the owner as the file names it (a login or a user's name).
public struct ImportRow: Sendable, Equatable {
  /// The line of the file where the row (or vCard) starts, 1-based.
  public var line: Int
  public var client: Client
  public var persons: [ContactPerson]
  public var ownerLogin: String?
  /// What the reader could not use as it stood and kept in the client's note instead (a phone
  /// or date it cannot read, a value with no field of its own): reported with the import.
  public var warnings: [ImportIssue]

  public init(
    line: Int, client: Client, persons: [ContactPerson] = [], ownerLogin: String? = nil,
    warnings: [ImportIssue] = []
  ) {
    self.line = line
    self.client = client
    self.persons = persons
    self.ownerLogin = ownerLogin
    self.warnings = warnings
  }
}

/// A problem with one row (or a warning about the file): the line, the field as the user knows
/// it (a column name or a field label; empty for the whole row) and the reason, in the user's
/// language.
public struct ImportIssue: Sendable, Equatable {
  public var line: Int
  public var field: String
  public var reason: String

  public init(line: Int, field: String, reason: String) {
    self.line = line
    self.field = field
    self.reason = reason
  }
}

/// What a reader hands the import service: a row, or a row it could not read (a ragged CSV
/// record, a vCard without a name), which is reported as rejected while the rest imports.
public enum ImportItem: Sendable, Equatable {
  case row(ImportRow)
  case rejected(ImportIssue)
}

/// An error that makes the whole file unusable (an unclosed quote, no name column, bytes that
/// are not text). Nothing is imported; the message names the line.
public struct ImportFileError: Error, Equatable, Sendable {
  public var line: Int
  public var en: String
  public var ru: String

  public init(line: Int, en: String, ru: String) {
    self.line = line
    self.en = en
    self.ru = ru
  }

  /// `line 12: …`, or the bare message when the problem is the file as a whole (line 0).
  public func message(_ l: Language) -> String {
    let text = l.pick(en, ru)
    return line > 0 ? l.pick("line \(line): ", "строка \(line): ") + text : text
  }
}

/// Thrown by `ClientImportService.run` when the progress callback asked to stop; everything the
/// run wrote was rolled back.
public struct ImportCancelled: Error, Equatable, Sendable {
  public var rowsRead: Int
}

// MARK: Options and report

/// What to do with a row that looks like a client already in the base (or an earlier row of
/// the same file).
public enum DuplicatePolicy: String, Sendable, CaseIterable, Codable {
  /// Leave the existing client alone and report the row as a duplicate.
  case skip
  /// Fill and overwrite the existing client's fields from the row (lists are merged).
  case update
  /// Add the row as a new client anyway.
  case create
}

public struct ImportOptions: Sendable, Equatable {
  /// `csv`, `vcard` or `json`.
  public var format: String
  /// The file's name as recorded in the batch (no directories).
  public var fileName: String
  public var dryRun: Bool
  public var onDuplicate: DuplicatePolicy
  /// Whether a row may be a duplicate of an earlier row of the same file. Off for a file that
  /// is a snapshot of a base (our own JSON or CSV export): its clients were already told apart
  /// there, so each becomes a client of its own, and only clients that were in the base before
  /// the import count as duplicates. By default off for `json`, on for the rest.
  public var matchWithinFile: Bool

  public init(
    format: String, fileName: String, dryRun: Bool = false, onDuplicate: DuplicatePolicy = .skip,
    matchWithinFile: Bool? = nil
  ) {
    self.format = format
    self.fileName = fileName
    self.dryRun = dryRun
    self.onDuplicate = onDuplicate
    self.matchWithinFile = matchWithinFile ?? (format != "json")
  }
}

/// What happened to one row.
public struct ImportOutcome: Sendable, Equatable {
  public enum Action: String, Sendable, Codable { case created, updated, duplicate, rejected }
  public var line: Int
  public var action: Action
  /// The client created or updated; for a duplicate the existing client. In a dry run the ids
  /// are those the run would have used and are gone afterwards.
  public var clientId: Int64?
  /// The row's client name (display form).
  public var name: String
  /// The existing client the row matched and why (`inn`, `phone`, `email`, `name`); also set
  /// on a row created or updated because of a match.
  public var matchId: Int64?
  public var matchName: String
  public var matchReason: String
  /// For a rejected row: the field and the reason.
  public var field: String
  public var reason: String

  public init(
    line: Int, action: Action, clientId: Int64? = nil, name: String = "", matchId: Int64? = nil,
    matchName: String = "", matchReason: String = "", field: String = "", reason: String = ""
  ) {
    self.line = line
    self.action = action
    self.clientId = clientId
    self.name = name
    self.matchId = matchId
    self.matchName = matchName
    self.matchReason = matchReason
    self.field = field
    self.reason = reason
  }
}

public struct ImportReport: Sendable, Equatable {
  /// Nil in a dry run (the batch was rolled back with everything else).
  public var batchId: Int64?
  public var dryRun: Bool
  public var rows = 0
  public var created = 0
  public var updated = 0
  public var duplicates = 0
  public var rejected = 0
  /// One entry per row, in file order.
  public var outcomes: [ImportOutcome] = []
  /// Warnings of the import itself (unknown owners); readers add their own.
  public var warnings: [ImportIssue] = []

  public init(batchId: Int64?, dryRun: Bool) {
    self.batchId = batchId
    self.dryRun = dryRun
  }
}

/// One recorded import, for `crm import list`.
public struct ImportBatch: Sendable, Equatable {
  public var id: Int64
  public var at: Date
  public var user: String
  public var format: String
  public var fileName: String
  public var onDuplicate: String
  public var rows: Int
  public var created: Int
  public var updated: Int
  public var duplicates: Int
  public var rejected: Int
  public var undoneAt: Date?
}

/// What `undo` did.
public struct ImportUndoResult: Sendable, Equatable {
  public var batchId: Int64
  /// Created clients removed for good (nothing was attached to them since).
  public var deleted = 0
  /// Created clients moved to the trash because something was added or changed since.
  public var trashed = 0
  /// Updated clients given their fields back.
  public var restored = 0
  /// Contact persons the import had added to existing clients, removed.
  public var persons = 0
}

// MARK: Duplicates

/// The one place that decides whether an imported client is already in the base: exact indexed
/// lookups by ИНН, phone (E.164), e-mail (folded) and the duplicate name key. Two different
/// ИНН on both sides are never the same client. To be replaced by the duplicate engine's
/// `matches(for:in:)` when it lands.
enum ImportDuplicates {
  struct Match: Equatable {
    var id: Int64
    var reason: DuplicateCandidate.Reason
  }

  /// The best existing client this row may be, by the duplicate engine (the same rules as the
  /// scan and the card's hint; exact names only, to keep a row's cost to a few index lookups).
  /// The row's persons' phones and e-mails count as the client's, as they do in the base.
  ///
  /// A name alone is weaker on import than in the scan: it never makes a person the same as
  /// another (two «Manu» with different phones are two people; a person matches by ИНН, phone
  /// or e-mail), and a company only when the legal forms agree too («Harbor Energy GmbH» is not
  /// «Harbor Energy Inc»).
  static func match(
    _ c: Client, persons: [ContactPerson], key: String, in db: Database, before: Int64? = nil
  ) throws -> Match? {
    var probe = c
    probe.phones += persons.flatMap(\.phones)
    probe.emails += persons.flatMap(\.emails)
    let pairs = try DuplicateFinder.matches(
      db, for: probe, minScore: DuplicateFinder.threshold, limit: 5, fuzzy: false, key: key)
    for pair in pairs {
      if let before, pair.first > before { continue }
      let nameOnly = pair.reasons.allSatisfy {
        switch $0 {
        case .sameName, .similarName: return true
        default: return false
        }
      }
      if nameOnly {
        if c.kind == .person { continue }
        guard
          let other = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT kind, legal_form FROM client WHERE id = ?"),
            arguments: [pair.first])
        else { continue }
        let kind: String = other[0]
        let form: String = other[1]
        if kind != ClientKind.company.rawValue || !sameForm(form, c.legalForm) { continue }
      }
      return Match(id: pair.first, reason: DuplicateCandidate.Reason(pair))
    }
    return nil
  }

  /// Legal forms that do not tell two companies apart: the same, one of them missing, or the
  /// same form in the other language (ООО and LLC, АО and JSC).
  static func sameForm(_ a: String, _ b: String) -> Bool {
    func canonical(_ s: String) -> String {
      let k = TextFold.key(s).filter { $0.isLetter }
      switch k {
      case "ооо", "llc", "ltd", "limited": return "llc"
      case "ао", "оао", "зао", "пао", "нао", "jsc", "ojsc", "cjsc", "pjsc": return "jsc"
      default: return k
      }
    }
    let x = canonical(a)
    let y = canonical(b)
    return x.isEmpty || y.isEmpty || x == y
  }
}

/// A client or contact person whose unreadable values an import can move into the note.
protocol ImportSalvageable {
  /// Validator field keys whose values may be moved, in the order they are tried.
  static var salvageKeys: [String] { get }
  /// Removes the value(s) of this field that the validator refuses, returning them as text;
  /// nil when there is nothing of this field to take out.
  mutating func takeOut(_ key: String) -> String?
  mutating func appendNote(_ line: String)
}

/// Phones and e-mails the validator refuses, taken out one by one.
private func takeBadPhones(_ phones: inout [Phone]) -> String? {
  let bad = phones.filter {
    $0.e164 == nil && !$0.raw.trimmingSpaces().isEmpty
      && !Validator.isReadablePhone($0.raw.trimmingSpaces())
  }
  guard !bad.isEmpty else { return nil }
  phones.removeAll { p in bad.contains(p) }
  return bad.map(\.raw).joined(separator: "; ")
}

private func takeBadEmails(_ emails: inout [String]) -> String? {
  let bad = emails.filter {
    !$0.trimmingSpaces().isEmpty && !EmailAddress.isValid($0.trimmingSpaces())
  }
  guard !bad.isEmpty else { return nil }
  emails.removeAll { bad.contains($0) }
  return bad.joined(separator: "; ")
}

extension Client: ImportSalvageable {
  static let salvageKeys = [
    "phones", "emails", "inn", "kpp", "ogrn", "bik", "account", "corr_account",
  ]

  mutating func takeOut(_ key: String) -> String? {
    func take(_ kp: WritableKeyPath<Client, String>) -> String? {
      let v = self[keyPath: kp]
      if v.isEmpty { return nil }
      self[keyPath: kp] = ""
      return v
    }
    switch key {
    case "phones": return takeBadPhones(&phones)
    case "emails": return takeBadEmails(&emails)
    case "inn": return take(\.inn)
    case "kpp": return take(\.kpp)
    case "ogrn": return take(\.ogrn)
    case "bik", "account", "corr_account":
      guard !bankAccounts.isEmpty else { return nil }
      let text = bankAccounts.map {
        [$0.bankName, $0.bik, $0.account, $0.corrAccount].filter { !$0.isEmpty }.joined(
          separator: " ")
      }.joined(separator: "; ")
      bankAccounts = []
      return text
    default: return nil
    }
  }

  mutating func appendNote(_ line: String) {
    notes = notes.isEmpty ? line : notes + "\n" + line
  }
}

extension ContactPerson: ImportSalvageable {
  static let salvageKeys = ["phones", "emails", "birthday"]

  mutating func takeOut(_ key: String) -> String? {
    switch key {
    case "phones": return takeBadPhones(&phones)
    case "emails": return takeBadEmails(&emails)
    case "birthday":
      if birthday.isEmpty { return nil }
      defer { birthday = "" }
      return birthday
    default: return nil
    }
  }

  mutating func appendNote(_ line: String) {
    notes = notes.isEmpty ? line : notes + "\n" + line
  }
}

// MARK: Service

/// Imports clients in one transaction: validates each row as `ClientService.add` does, finds
/// duplicates in the base and among earlier rows of the file, creates, updates or skips, keeps
/// the search index and duplicate keys, and records the batch so `undo` can take it back.
public struct ClientImportService: CoreService {
  public let context: ServiceContext
  let validator: Validator

  /// Rows between two calls of the progress callback.
  public static let progressEvery = 500

  public init(_ context: ServiceContext) {
    self.context = context
    self.validator = Validator(language: context.language)
  }

  var clients: ClientService { context.clients }

  /// Imports the rows `next` yields until it returns nil. `progress` gets the number of rows
  /// read so far every `progressEvery` rows; returning false cancels: everything is rolled back
  /// and `ImportCancelled` thrown. An `ImportFileError` (or any error) from `next` also rolls
  /// everything back and is rethrown as is. A dry run does all the work and rolls it back.
  public func run(
    options: ImportOptions, next: () throws -> ImportItem?,
    progress: (Int) -> Bool = { _ in true }
  ) throws -> ImportReport {
    let at = db.clock.now()
    var report = ImportReport(batchId: nil, dryRun: options.dryRun)
    var failure: (any Error)?
    struct Stop: Error {}
    do {
      try db.write { db in
        try db.inSavepoint {
          do {
            report = try runInside(db, options: options, at: at, next: next, progress: progress)
          } catch let e as DatabaseError {
            throw e
          } catch {
            failure = error
            throw Stop()
          }
          return options.dryRun ? .rollback : .commit
        }
      }
    } catch {
      if let failure { throw failure }
      throw error
    }
    if options.dryRun { report.batchId = nil }
    return report
  }

  /// Imports an array of items (tests, small files).
  public func run(options: ImportOptions, items: [ImportItem]) throws -> ImportReport {
    var it = items.makeIterator()
    return try run(options: options, next: { it.next() })
  }

  private func runInside(
    _ db: Database, options: ImportOptions, at: Date, next: () throws -> ImportItem?,
    progress: (Int) -> Bool
  ) throws -> ImportReport {
    let t = at.timeIntervalSince1970
    let service = clients
    let change = try service.recordChange(
      db, clientId: 0, entity: "client", entityId: 0, action: "import", before: Client?.none,
      at: at)
    try db.execute(
      sql: """
        INSERT INTO import_batch (at, user_id, format, file_name, on_duplicate, change_id)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        t, userId, options.format, options.fileName, options.onDuplicate.rawValue, change,
      ])
    let batch = db.lastInsertedRowID
    try db.execute(
      sql: "UPDATE change_set SET entity_id = ? WHERE id = ?", arguments: [batch, change])
    var report = ImportReport(batchId: batch, dryRun: options.dryRun)
    // A large import touches many pages: a bigger page cache keeps SQLite from spilling dirty
    // pages to the WAL in the middle of the transaction. Put back when done.
    let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
    try db.execute(sql: "PRAGMA cache_size = -65536")
    defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
    var writer = ImportWriter(
      db: db, batch: batch, change: change, at: at, userId: userId, service: service)
    let owners = try OwnerTable(db)
    // One distributor per import, so round robin continues across rows (nil: lead_rule off, or
    // nobody can receive leads: then rows without an owner go to the importing user as before).
    var leads =
      try CRMDatabase.loadSettings(db).leadRule == .off
      ? nil : try? LeadDistributor(db, log: service, at: at)
    var unknownOwners: [String: (line: Int, count: Int)] = [:]
    let l = language
    // The last client before the import: rows of a snapshot match only clients up to it.
    let before =
      options.matchWithinFile
      ? nil : try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM client")

    while let item = try next() {
      report.rows += 1
      if report.rows % Self.progressEvery == 0 && !progress(report.rows) {
        throw ImportCancelled(rowsRead: report.rows)
      }
      guard case .row(let row) = item else {
        if case .rejected(let issue) = item {
          report.rejected += 1
          report.outcomes.append(
            ImportOutcome(
              line: issue.line, action: .rejected, field: issue.field, reason: issue.reason))
        }
        continue
      }
      report.warnings += row.warnings
      // Validate like ClientService.add.
      var client: Client
      var persons: [ContactPerson] = []
      do throws(CRMError) {
        var salvaged = row.client
        client = try salvage(&salvaged, line: row.line, warnings: &report.warnings) {
          (c: Client) throws(CRMError) in try validator.client(c)
        }
        for p in row.persons {
          var person = p
          person.clientId = 0
          persons.append(
            try salvage(&person, line: row.line, warnings: &report.warnings) {
              (p: ContactPerson) throws(CRMError) in try validator.person(p)
            })
        }
      } catch {
        report.rejected += 1
        let (field, reason) = error.fieldAndReason(l)
        report.outcomes.append(
          ImportOutcome(
            line: row.line, action: .rejected, name: row.client.name, field: field,
            reason: reason))
        continue
      }
      var ownerGiven = false
      if let login = row.ownerLogin?.trimmingSpaces(), !login.isEmpty {
        if let id = owners.find(login) {
          client.ownerId = id
          ownerGiven = true
        } else {
          unknownOwners[login, default: (row.line, 0)].count += 1
          client.ownerId = nil
        }
      }
      // Team: a row naming no owner goes to the lead distributor when `lead_rule` is on.
      let namesOwner = !(row.ownerLogin?.trimmingSpaces().isEmpty ?? true)
      let toDistribute = client.ownerId == nil && !namesOwner && leads != nil
      if client.ownerId == nil && !toDistribute { client.ownerId = userId }

      let key = DuplicateKeys.name(client.name)
      let match = try ImportDuplicates.match(
        client, persons: persons, key: key, in: db, before: before)
      let name = client.displayName
      // A client the signed-in user may not see is neither updated nor named: the row is a
      // duplicate skipped as another manager's.
      if let match, try self.db.access.hides(db, clientId: match.id) {
        report.duplicates += 1
        report.outcomes.append(
          ImportOutcome(
            line: row.line, action: .duplicate, name: name, matchReason: "hidden",
            reason: l.pick("owned by another manager", "клиент другого менеджера")))
        continue
      }
      if let match {
        let matchName = try writer.displayName(match.id)
        switch options.onDuplicate {
        case .skip:
          // Another person of a company already there (a Google or Outlook export lists
          // each person with their company): the person joins it instead of being lost.
          if !persons.isEmpty, client.kind == .company {
            let known = Set(
              try String.fetchAll(
                db,
                sql:
                  "SELECT match_key FROM contact_person WHERE client_id = ? AND deleted_at IS NULL",
                arguments: [match.id]))
            let newPersons = persons.filter { !known.contains(DuplicateKeys.name($0.name)) }
            if !newPersons.isEmpty {
              try writer.update(
                match.id, from: Client(name: client.name), persons: newPersons,
                ownerGiven: false, validator: validator)
              report.updated += 1
              report.outcomes.append(
                ImportOutcome(
                  line: row.line, action: .updated, clientId: match.id, name: name,
                  matchId: match.id, matchName: matchName, matchReason: match.reason.rawValue))
              continue
            }
          }
          report.duplicates += 1
          report.outcomes.append(
            ImportOutcome(
              line: row.line, action: .duplicate, clientId: match.id, name: name,
              matchId: match.id, matchName: matchName, matchReason: match.reason.rawValue))
          continue
        case .update:
          do {
            try writer.update(
              match.id, from: client, persons: persons, ownerGiven: ownerGiven,
              validator: validator)
          } catch let e as CRMError {
            report.rejected += 1
            let (field, reason) = e.fieldAndReason(l)
            report.outcomes.append(
              ImportOutcome(
                line: row.line, action: .rejected, name: name, matchId: match.id,
                matchName: matchName, matchReason: match.reason.rawValue, field: field,
                reason: l.pick(
                  "cannot update «\(matchName)»: ", "не удаётся обновить «\(matchName)»: ")
                  + reason))
            continue
          }
          report.updated += 1
          report.outcomes.append(
            ImportOutcome(
              line: row.line, action: .updated, clientId: match.id, name: name,
              matchId: match.id, matchName: matchName, matchReason: match.reason.rawValue))
          continue
        case .create:
          let id = try writer.create(client, persons: persons, key: key)
          if toDistribute { _ = try leads?.assign(db, clientId: id, before: client, at: at) }
          report.created += 1
          report.outcomes.append(
            ImportOutcome(
              line: row.line, action: .created, clientId: id, name: name, matchId: match.id,
              matchName: matchName, matchReason: match.reason.rawValue))
          continue
        }
      }
      let id = try writer.create(client, persons: persons, key: key)
      if toDistribute { _ = try leads?.assign(db, clientId: id, before: client, at: at) }
      report.created += 1
      report.outcomes.append(
        ImportOutcome(line: row.line, action: .created, clientId: id, name: name))
    }
    if !progress(report.rows) { throw ImportCancelled(rowsRead: report.rows) }
    for (login, seen) in unknownOwners.sorted(by: { $0.value.line < $1.value.line }) {
      report.warnings.append(
        ImportIssue(
          line: seen.line, field: validator.fieldName("owner"),
          reason: l.pick(
            "no user «\(login)» (\(seen.count) rows); those clients go to the importing user",
            "нет пользователя «\(login)» (строк: \(seen.count)); эти клиенты записаны на импортирующего"
          )))
    }
    try db.execute(
      sql: """
        UPDATE import_batch SET rows = ?, created = ?, updated = ?, duplicates = ?, rejected = ?
        WHERE id = ?
        """,
      arguments: [
        report.rows, report.created, report.updated, report.duplicates, report.rejected, batch,
      ])
    return report
  }

  /// Validates like `ClientService.add`, but a value the validator refuses that is not what
  /// names the client (a phone, an e-mail, ИНН, КПП, ОГРН, a bank account, a birthday) is moved
  /// into the note as `Field: value` with a warning naming the line, and the rest validated
  /// again: only a row nothing identifies is rejected. Any other problem is thrown as before.
  func salvage<T: ImportSalvageable>(
    _ value: inout T, line: Int, warnings: inout [ImportIssue],
    validate: (T) throws(CRMError) -> T
  ) throws(CRMError) -> T {
    let l = language
    for _ in 0..<12 {
      do throws(CRMError) {
        return try validate(value)
      } catch {
        let (field, reason) = error.fieldAndReason(l)
        guard let key = T.salvageKeys.first(where: { validator.fieldName($0) == field }),
          let text = value.takeOut(key)
        else { throw error }
        value.appendNote("\(field): \(text)")
        warnings.append(
          ImportIssue(
            line: line, field: field,
            reason: reason + l.pick(" — kept in the note", " — сохранено в примечании")))
      }
    }
    return try validate(value)
  }

  // MARK: Batches and undo

  /// Recorded imports the acting user may see, newest first: their own, and others' whose
  /// clients they all may see (an admin sees every import).
  public func batches(limit: Int = 100) throws(CRMError) -> [ImportBatch] {
    try db.visibleLogRows(
      "import_batch", clients: LogClients.importBatch, userId: userId, noLogin: "", limit: limit
    ) { r in
      ImportBatch(
        id: r["id"], at: Date(timeIntervalSince1970: r["at"]), user: r["login"],
        format: r["format"], fileName: r["file_name"], onDuplicate: r["on_duplicate"],
        rows: r["rows"], created: r["created"], updated: r["updated"],
        duplicates: r["duplicates"], rejected: r["rejected"],
        undoneAt: r.timestamp("undone_at"))
    }
  }

  /// Takes an import back in one transaction. Created clients are deleted, or moved to the
  /// trash when something was attached to them or changed since (a contact, a deal, an edit);
  /// updated clients get back the fields the import changed (fields edited since in other ways
  /// keep their new values); persons the import added to existing clients are removed. A batch
  /// is undone once. An import the acting user does not see in `batches` does not exist for
  /// them; one that touched a client they may not see (another manager's, or one handed over
  /// since) is refused whole: nothing of another manager's is changed or deleted.
  public func undo(_ batchId: Int64) throws(CRMError) -> ImportUndoResult {
    let at = db.clock.now()
    let t = at.timeIntervalSince1970
    let l = language
    let service = clients
    let access = db.access
    let me = userId
    return try db.write { db in
      guard
        let batch = try Row.fetchOne(
          db, sql: "SELECT * FROM import_batch WHERE id = ?", arguments: [batchId]),
        try self.db.seesLogEntry(
          db, "import_batch", id: batchId, clients: LogClients.importBatch, userId: me)
      else { throw CRMError.notFound(what: l.pick("import", "импорт"), id: batchId) }
      let hidden = try access.hiddenCount(
        db, "import_batch", id: batchId, clients: LogClients.importBatch)
      if hidden > 0 {
        throw self.db.refuseUndo(
          l.pick("import \(batchId)", "импорт \(batchId)"), hidden: hidden, language: l)
      }
      if let undone = batch["undone_at"] as Double? {
        let day = ISO8601DateFormatter.string(
          from: Date(timeIntervalSince1970: undone), timeZone: .current,
          formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime])
        throw CRMError.invalid(
          field: l.pick("import \(batchId)", "импорт \(batchId)"),
          problem: l.pick("already undone (\(day))", "уже отменён (\(day))"))
      }
      let change: Int64 = batch["change_id"]
      var result = ImportUndoResult(batchId: batchId)
      // Created clients used since: one query per table, not one per client.
      var used = Set(
        try Int64.fetchAll(
          db, sql: "SELECT DISTINCT client_id FROM change_set WHERE id > ?", arguments: [change]))
      for sql in try Self.referencingTables(db) {
        used.formUnion(try Int64.fetchAll(db, sql: sql, arguments: [batchId]))
      }
      let items = try Row.fetchAll(
        db, sql: "SELECT * FROM import_item WHERE batch_id = ? ORDER BY id DESC",
        arguments: [batchId])
      var touchedClients = Set<Int64>()
      for item in items {
        let clientId: Int64 = item["client_id"]
        let action: String = item["action"]
        switch action {
        case "person":
          guard let personId = item["person_id"] as Int64? else { continue }
          try db.cachedStatement(sql: "DELETE FROM contact_person WHERE id = ?").execute(
            arguments: [personId])
          if db.changesCount > 0 { result.persons += 1 }
          touchedClients.insert(clientId)
        case "updated":
          guard let current = try ClientService.load(db, clientId),
            let json = item["before_json"] as String?
          else { continue }
          let before = try JSONDecoder().decode(Client.self, from: Data(json.utf8))
          let fields = try String.fetchAll(
            db,
            sql: """
              SELECT DISTINCT field FROM audit
              WHERE change_id = ? AND client_id = ? AND field NOT IN ('import', 'persons')
              """, arguments: [change, clientId])
          let target = try ClientService.revert(current, to: before, fields: fields)
          let old = ClientService.fields(current)
          let new = ClientService.fields(target)
          if old != new {
            let id = try service.recordChange(
              db, clientId: clientId, entity: "client", entityId: clientId, action: "update",
              before: current, at: at)
            try ClientService.writeClient(db, target, id: clientId, at: at)
            try service.auditFields(
              db, change: id, clientId: clientId, entity: "client", entityId: clientId,
              action: "undo", old: old, new: new, at: at)
          }
          result.restored += 1
          touchedClients.insert(clientId)
        default:  // created
          guard
            let deletedAt = try Row.fetchOne(
              db.cachedStatement(sql: "SELECT deleted_at FROM client WHERE id = ?"),
              arguments: [clientId])
          else { continue }
          let attached = used.contains(clientId)
          if attached {
            if (deletedAt[0] as Double?) == nil {
              let before = try ClientService.load(db, clientId)
              let id = try service.recordChange(
                db, clientId: clientId, entity: "client", entityId: clientId, action: "delete",
                before: before, at: at)
              try db.execute(
                sql: "UPDATE client SET deleted_at = ?, updated_at = ? WHERE id = ?",
                arguments: [t, t, clientId])
              try service.auditFields(
                db, change: id, clientId: clientId, entity: "client", entityId: clientId,
                action: "undo", old: ["deleted": ""], new: ["deleted": "yes"], at: at)
            }
            result.trashed += 1
            touchedClients.insert(clientId)
          } else {
            // Prepared once: a client's DELETE cascades through a dozen tables, and compiling
            // it anew for every client took most of an undo's time.
            try db.cachedStatement(sql: "DELETE FROM client_fts WHERE rowid = ?").execute(
              arguments: [clientId])
            try db.cachedStatement(sql: "DELETE FROM client WHERE id = ?").execute(
              arguments: [clientId])
            touchedClients.remove(clientId)
            result.deleted += 1
          }
        }
      }
      for id in touchedClients { try SearchIndex.update(db, clientId: id) }
      // The deleted clients' audit rows of the import, in one pass over the import's rows (one
      // DELETE per client went through all of them each time: quadratic, 6 s for 3,000 rows).
      if result.deleted > 0 {
        try db.execute(
          sql: """
            DELETE FROM audit WHERE change_id = ?
              AND client_id IN (
                SELECT client_id FROM import_item WHERE batch_id = ? AND action = 'created')
              AND NOT EXISTS (SELECT 1 FROM client c WHERE c.id = audit.client_id)
            """, arguments: [change, batchId])
      }
      let undoChange = try service.recordChange(
        db, clientId: 0, entity: "client", entityId: batchId, action: "import",
        before: Client?.none, at: at, undoOf: change)
      try db.execute(
        sql: "UPDATE change_set SET undone_by = ? WHERE id = ?", arguments: [undoChange, change])
      try db.execute(
        sql: "UPDATE import_batch SET undone_at = ?, undone_by = ? WHERE id = ?",
        arguments: [t, userId, batchId])
      return result
    }
  }

  /// For every table that points at a client and that an import does not write itself, the
  /// query for the batch's created clients it has rows for: any row there means the client has
  /// been used since.
  static func referencingTables(_ db: Database) throws -> [String] {
    let own: Set<String> = [
      "phone", "email", "bank_account", "client_tag", "contact_person", "client_fts",
    ]
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT m.name AS tbl, f."from" AS col FROM sqlite_master m,
          pragma_foreign_key_list(m.name) f
        WHERE m.type = 'table' AND f."table" = 'client' ORDER BY m.name, f."from"
        """)
    return rows.compactMap { r in
      let table: String = r["tbl"]
      let column: String = r["col"]
      if own.contains(table) { return nil }
      return """
        SELECT DISTINCT "\(column)" FROM "\(table)" WHERE "\(column)" IN
          (SELECT client_id FROM import_item WHERE batch_id = ? AND action = 'created')
        """
    }
  }
}

/// Users by folded login and by folded name, for the owner column.
struct OwnerTable {
  var byKey: [String: Int64] = [:]

  init(_ db: Database) throws {
    let rows = try Row.fetchAll(db, sql: "SELECT id, login, name FROM app_user ORDER BY id DESC")
    for r in rows {
      byKey[TextFold.key(r["name"] as String)] = r["id"]
    }
    for r in rows {
      byKey[TextFold.key(r["login"] as String)] = r["id"]
    }
  }

  func find(_ text: String) -> Int64? { byKey[TextFold.key(text)] }
}

/// The writes of one batch, through cached statements: a created client is one insert per
/// table it has rows in, its search-index document is built from the row (not read back), and
/// its history is one audit row pointing at the batch's change.
struct ImportWriter {
  let db: Database
  let batch: Int64
  let change: Int64
  let at: Date
  let userId: Int64?
  let service: ClientService
  /// Duplicate keys of person names seen in this batch (the same names recur: «Иван Петров»).
  var personKeys: [String: String] = [:]

  mutating func personKey(_ name: String) -> String {
    if let k = personKeys[name] { return k }
    let k = DuplicateKeys.name(name)
    if personKeys.count < 100_000 { personKeys[name] = k }
    return k
  }

  func displayName(_ id: Int64) throws -> String {
    guard
      let r = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT name, legal_form FROM client WHERE id = ?"),
        arguments: [id])
    else { return "" }
    return Client.displayName(name: r[0], legalForm: r[1])
  }

  static let insertClientSQL = """
    INSERT INTO client (kind, name, name_key, legal_form, inn, kpp, ogrn, website, city, city_key,
      legal_address, actual_address, postal_address, lead_source, segment, owner_id, notes,
      phone_sort, created_at, updated_at, match_key, match_rkey, created_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """

  mutating func create(_ c: Client, persons: [ContactPerson], key: String) throws -> Int64 {
    let t = at.timeIntervalSince1970
    let created = c.createdAt?.timeIntervalSince1970 ?? t
    try db.cachedStatement(sql: Self.insertClientSQL).execute(arguments: [
      c.kind.rawValue, c.name, TextFold.sortKey(c.name), c.legalForm, c.inn, c.kpp, c.ogrn,
      c.website, c.city, TextFold.sortKey(c.city), c.legalAddress, c.actualAddress,
      c.postalAddress, c.leadSource, c.segment, c.ownerId, c.notes,
      c.phones.first.map { $0.e164 ?? $0.raw } ?? "", created, t, key, DuplicateKeys.reversed(key),
      userId,
    ])
    let id = db.lastInsertedRowID
    try contacts(clientId: id, personId: nil, phones: c.phones, emails: c.emails)
    let accounts = try db.cachedStatement(
      sql: """
        INSERT INTO bank_account (client_id, position, bik, account, corr_account, bank_name)
        VALUES (?, ?, ?, ?, ?, ?)
        """)
    for (i, a) in c.bankAccounts.enumerated() {
      try accounts.execute(arguments: [id, i, a.bik, a.account, a.corrAccount, a.bankName])
    }
    let tags = try db.cachedStatement(
      sql:
        "INSERT OR IGNORE INTO client_tag (client_id, position, tag, tag_key) VALUES (?, ?, ?, ?)")
    for (i, tag) in c.tags.enumerated() {
      try tags.execute(arguments: [id, i, tag, TextFold.key(tag)])
    }
    for p in persons { _ = try insertPerson(p, clientId: id) }
    let doc = SearchIndex.document(
      name: c.name, legalForm: c.legalForm, persons: persons.map(\.name),
      phones: (c.phones + persons.flatMap(\.phones)).map { ($0.raw, $0.e164) },
      emails: c.emails + persons.flatMap(\.emails), requisites: [c.inn, c.kpp, c.ogrn],
      tags: c.tags, city: c.city, notes: c.notes)
    try SearchIndex.insert(db, clientId: id, doc)
    try item(clientId: id, personId: nil, action: "created", before: nil)
    try audit(clientId: id, field: "import", old: nil, new: String(batch))
    return id
  }

  mutating func insertPerson(_ p: ContactPerson, clientId: Int64) throws -> Int64 {
    let t = at.timeIntervalSince1970
    try db.cachedStatement(
      sql: """
        INSERT INTO contact_person (client_id, name, position, birthday, notes, created_at,
          updated_at, match_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      clientId, p.name, p.position, p.birthday, p.notes, t, t, personKey(p.name),
    ])
    let id = db.lastInsertedRowID
    try contacts(clientId: clientId, personId: id, phones: p.phones, emails: p.emails)
    return id
  }

  func contacts(clientId: Int64, personId: Int64?, phones: [Phone], emails: [String]) throws {
    if !phones.isEmpty {
      let s = try db.cachedStatement(
        sql: "INSERT INTO phone (client_id, person_id, position, raw, e164) VALUES (?, ?, ?, ?, ?)")
      for (i, p) in phones.enumerated() {
        try s.execute(arguments: [clientId, personId, i, p.raw, p.e164])
      }
    }
    if !emails.isEmpty {
      let s = try db.cachedStatement(
        sql: """
          INSERT INTO email (client_id, person_id, position, address, address_key)
          VALUES (?, ?, ?, ?, ?)
          """)
      for (i, e) in emails.enumerated() {
        try s.execute(arguments: [clientId, personId, i, e, TextFold.key(e)])
      }
    }
  }

  func item(clientId: Int64, personId: Int64?, action: String, before: String?) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO import_item (batch_id, client_id, person_id, action, before_json)
        VALUES (?, ?, ?, ?, ?)
        """
    ).execute(arguments: [batch, clientId, personId, action, before])
  }

  func audit(clientId: Int64, field: String, old: String?, new: String?) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO audit (change_id, at, user_id, client_id, entity, entity_id, action, field, old, new)
        VALUES (?, ?, ?, ?, 'client', ?, 'import', ?, ?, ?)
        """
    ).execute(arguments: [
      change, at.timeIntervalSince1970, userId, clientId, clientId, field, old, new,
    ])
  }

  /// Fills and overwrites the existing client's fields from the row: non-empty text fields win,
  /// phones, e-mails, tags and accounts are added when new, notes are appended, persons whose
  /// name is not there yet are added. The owner changes only when the row names one.
  mutating func update(
    _ id: Int64, from row: Client, persons: [ContactPerson], ownerGiven: Bool,
    validator: Validator
  ) throws {
    guard let before = try ClientService.load(db, id) else { return }
    var c = before
    func take(_ kp: WritableKeyPath<Client, String>) {
      if !row[keyPath: kp].isEmpty { c[keyPath: kp] = row[keyPath: kp] }
    }
    for kp: WritableKeyPath<Client, String> in [
      \.legalForm, \.inn, \.kpp, \.ogrn, \.website, \.city, \.legalAddress, \.actualAddress,
      \.postalAddress, \.leadSource, \.segment,
    ] {
      take(kp)
    }
    if !row.notes.isEmpty && !c.notes.contains(row.notes) {
      c.notes = c.notes.isEmpty ? row.notes : c.notes + "\n" + row.notes
    }
    let phoneKeys = Set(c.phones.map { $0.e164 ?? $0.raw })
    c.phones += row.phones.filter { !phoneKeys.contains($0.e164 ?? $0.raw) }
    let emailKeys = Set(c.emails.map(TextFold.key))
    c.emails += row.emails.filter { !emailKeys.contains(TextFold.key($0)) }
    let tagKeys = Set(c.tags.map(TextFold.key))
    c.tags += row.tags.filter { !tagKeys.contains(TextFold.key($0)) }
    let accountKeys = Set(c.bankAccounts.map { $0.bik + $0.account })
    c.bankAccounts += row.bankAccounts.filter { !accountKeys.contains($0.bik + $0.account) }
    if ownerGiven { c.ownerId = row.ownerId }
    c = try validator.client(c)
    c.id = id
    let old = ClientService.fields(before)
    let new = ClientService.fields(c)
    let existingKeys = Set(
      try String.fetchAll(
        db,
        sql: "SELECT match_key FROM contact_person WHERE client_id = ? AND deleted_at IS NULL",
        arguments: [id]))
    let added = persons.filter { !existingKeys.contains(DuplicateKeys.name($0.name)) }
    if old == new && added.isEmpty { return }
    let json = String(decoding: try JSONEncoder().encode(before), as: UTF8.self)
    try item(clientId: id, personId: nil, action: "updated", before: json)
    if old != new {
      try ClientService.writeClient(db, c, id: id, at: at)
    }
    var seen = existingKeys
    for p in added where !seen.contains(DuplicateKeys.name(p.name)) {
      seen.insert(DuplicateKeys.name(p.name))
      let personId = try insertPerson(p, clientId: id)
      try item(clientId: id, personId: personId, action: "person", before: nil)
    }
    var oldFields = old
    var newFields = new
    oldFields["import"] = ""
    newFields["import"] = String(batch)
    if !added.isEmpty {
      oldFields["persons"] = ""
      newFields["persons"] = added.map(\.name).joined(separator: ", ")
    }
    try service.auditFields(
      db, change: change, clientId: id, entity: "client", entityId: id, action: "import",
      old: oldFields, new: newFields, at: at)
    try SearchIndex.update(db, clientId: id)
  }
}

// MARK: Export

/// A client as the export formats write it: with its live contact persons and its owner's login.
public struct ExportedClient: Sendable, Equatable {
  public var client: Client
  public var persons: [ContactPerson]
  public var ownerLogin: String

  public init(client: Client, persons: [ContactPerson], ownerLogin: String) {
    self.client = client
    self.persons = persons
    self.ownerLogin = ownerLogin
  }
}

extension ClientImportService {
  /// The live clients a list filter selects (search, segment, owner, tag), by id: the order
  /// they were created in, so an export re-imported into an empty base keeps it.
  public func exportIDs(_ query: ClientListQuery) throws(CRMError) -> [Int64] {
    var q = query
    q.trash = false
    let w = db.visible(q).whereClause()
    return try db.read { db in
      try Int64.fetchAll(
        db, sql: "SELECT c.id FROM client c WHERE \(w.sql) ORDER BY c.id",
        arguments: SQLStatement(sql: "", arguments: w.arguments).grdbArguments)
    }
  }

  /// The clients with these ids, with persons (by name) and owner logins, in one read.
  public func exported(_ ids: some Collection<Int64>) throws(CRMError) -> [ExportedClient] {
    let access = db.access
    return try db.read { db in
      var logins: [Int64: String] = [:]
      for r in try Row.fetchAll(db, sql: "SELECT id, login FROM app_user") {
        logins[r["id"]] = r["login"]
      }
      return try ids.compactMap { id -> ExportedClient? in
        guard let c = try ClientService.load(db, id), access.allows(ownerId: c.ownerId) else {
          return nil
        }
        let personIds = try Int64.fetchAll(
          db.cachedStatement(
            sql: """
              SELECT id FROM contact_person WHERE client_id = ? AND deleted_at IS NULL
              ORDER BY name COLLATE NOCASE, id
              """), arguments: [id])
        let persons = try personIds.compactMap { try ClientService.loadPerson(db, $0) }
        return ExportedClient(
          client: c, persons: persons, ownerLogin: c.ownerId.flatMap { logins[$0] } ?? "")
      }
    }
  }
}
