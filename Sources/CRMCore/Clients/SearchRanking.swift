import Foundation
import GRDB

/// Why a client is in a search's results, shown beside it when it was not the name.
public enum SearchMatch: Equatable, Sendable {
  /// The typed words start words of the client's own name.
  case name
  /// The typed ИНН, phone or e-mail is exactly the client's (or one of its persons').
  case inn, phone, email
  /// The words are in this contact person's name.
  case person(String)
  /// The words are elsewhere: these fields, most telling first.
  case fields([Field])

  public enum Field: String, Sendable, CaseIterable {
    case persons, emails, phones, requisites, tags, city, notes
  }

  /// What the row says, or "" for a match in the name.
  public func text(_ l: Language) -> String {
    switch self {
    case .name: return ""
    case .inn: return l.pick("ИНН", "ИНН")
    case .phone: return l.pick("phone", "телефон")
    case .email: return l.pick("e-mail", "e-mail")
    case .person(let name): return l.pick("contact: ", "контакт: ") + name
    case .fields(let fields):
      return fields.map { f in
        switch f {
        case .persons: return l.pick("contact", "контакт")
        case .emails: return l.pick("e-mail", "e-mail")
        case .phones: return l.pick("phone", "телефон")
        case .requisites: return l.pick("requisites", "реквизиты")
        case .tags: return l.pick("tag", "тег")
        case .city: return l.pick("city", "город")
        case .notes: return l.pick("note", "заметка")
        }
      }.joined(separator: ", ")
    }
  }

  /// The machine name (`--json`).
  public var kind: String {
    switch self {
    case .name: return "name"
    case .inn: return "inn"
    case .phone: return "phone"
    case .email: return "email"
    case .person: return "person"
    case .fields: return "other"
    }
  }

  /// The person's name, or the fields, for `--json`.
  public var detail: String {
    switch self {
    case .person(let name): return name
    case .fields(let f): return f.map(\.rawValue).joined(separator: ",")
    default: return ""
    }
  }
}

/// The relevance order of a search, from most to least relevant:
///
/// 0. the exact ИНН, phone or e-mail typed;
/// 1. every typed word is a whole word of the client's own name, then 2. starts one;
/// 3. the same in a contact person's name (whole words), then 4. prefixes;
/// 5. anything else: e-mails, phones, requisites, tags, city, notes.
///
/// Within a tier the clients the signed-in user owns come first, then the most recent contact,
/// then the name. Every tier is its own FTS expression that excludes the tiers above it, so a
/// page is read tier by tier with LIMIT: the first screen costs a few indexed queries whatever
/// the number of matches, and paging goes on in the same order.
struct SearchRanking {
  enum Tier: Int, CaseIterable {
    case identifier, nameExact, nameWord, namePrefix, personWord, personPrefix, other
  }

  /// The folded FTS tokens of the query.
  let tokens: [String]
  /// The query's whole FTS expression (what counts the results).
  let all: String
  /// The exact-identifier condition on `c` and its arguments, when the text is one.
  let identifier: (sql: String, arguments: [SQLValue])?
  let inn: String?
  let e164: String?
  let emailKey: String?
  /// The typed words as a name key (`DuplicateKeys.name`: order, case, ё, legal forms and
  /// script ignored): a client named exactly so is above every other match in the name.
  let nameKey: String?

  init?(_ text: String) {
    guard let all = SearchQuery.match(text) else { return nil }
    self.all = all
    tokens = SearchQuery.terms(text).flatMap(SearchQuery.tokens)
    let trimmed = text.trimmingSpaces()
    let digits = trimmed.filter(\.isNumber)
    let phoneLike = SearchQuery.terms(text) == [String(digits.prefix(15))] && !digits.isEmpty
    var parts: [String] = []
    var arguments: [SQLValue] = []
    inn =
      phoneLike && (digits.count == 10 || digits.count == 12) && digits.allSatisfy(\.isASCII)
      ? String(digits) : nil
    if let inn {
      parts.append("c.inn = ?")
      arguments.append(.text(inn))
    }
    e164 = phoneLike && digits.count >= 10 ? Phone(trimmed).e164 : nil
    if let e164 {
      parts.append("c.id IN (SELECT client_id FROM phone WHERE e164 = ?)")
      arguments.append(.text(e164))
    }
    emailKey =
      trimmed.contains("@") && !trimmed.contains(" ") ? TextFold.key(trimmed) : nil
    if let emailKey {
      parts.append("c.id IN (SELECT client_id FROM email WHERE address_key = ?)")
      arguments.append(.text(emailKey))
    }
    identifier =
      parts.isEmpty ? nil : ("(" + parts.joined(separator: " OR ") + ")", arguments)
    let key = phoneLike ? "" : DuplicateKeys.name(text)
    nameKey = key.isEmpty ? nil : key
  }

  /// The condition of a tier that is not FTS (exact identifiers, the exact name) on `c`.
  func condition(_ tier: Tier) -> (sql: String, arguments: [SQLValue])? {
    switch tier {
    case .identifier: return identifier
    case .nameExact: return nameKey.map { ("c.match_key = ?", [.text($0)]) }
    default: return nil
    }
  }

  /// What the tiers above this one took that its FTS expression would take again.
  func excluded(above tier: Tier) -> (sql: String, arguments: [SQLValue])? {
    let above = [Tier.identifier, .nameExact].filter { $0.rawValue < tier.rawValue }
      .compactMap(condition)
    guard !above.isEmpty else { return nil }
    return (
      "(" + above.map(\.sql).joined(separator: " OR ") + ")", above.flatMap(\.arguments)
    )
  }

  private func quoted(_ prefix: Bool) -> String {
    "("
      + tokens.map { t in
        prefix
          ? SearchQuery.quote(t) + "*"
          : "(" + Self.wordForms(t).map(SearchQuery.quote).joined(separator: " OR ") + ")"
      }.joined(separator: " AND ") + ")"
  }

  /// The whole words a typed word stands for: itself, and a Russian surname's other gender
  /// («федоров» finds «Фёдорова» as a whole word, and back; «-ский» ↔ «-ская»), so a woman's
  /// surname typed as a man's is not ranked with the patronymics «Фёдорович», «Фёдоровна».
  static func wordForms(_ t: String) -> [String] {
    var forms = [t]
    for (male, female) in [("ов", "ова"), ("ев", "ева"), ("ин", "ина"), ("ын", "ына")] {
      if t.hasSuffix(female) && t.count > female.count + 1 {
        forms.append(String(t.dropLast()))
      } else if t.hasSuffix(male) && t.count > male.count + 1 {
        forms.append(t + "а")
      }
    }
    for (male, female) in [("ский", "ская"), ("цкий", "цкая")] {
      if t.hasSuffix(male) { forms.append(String(t.dropLast(2)) + "ая") }
      if t.hasSuffix(female) { forms.append(String(t.dropLast(2)) + "ий") }
    }
    return forms
  }

  private func column(_ name: String, prefix: Bool) -> String {
    "({\(name)} : \(quoted(prefix)))"
  }

  /// The FTS expression of a tier (nil for the identifier tier, which is not FTS).
  func fts(_ tier: Tier) -> String? {
    let nameWord = column("name", prefix: false)
    let namePrefix = column("name", prefix: true)
    let personWord = column("persons", prefix: false)
    let personPrefix = column("persons", prefix: true)
    switch tier {
    case .identifier, .nameExact: return nil
    case .nameWord: return nameWord
    case .namePrefix: return "\(namePrefix) NOT \(nameWord)"
    case .personWord: return "\(personWord) NOT \(namePrefix)"
    case .personPrefix: return "\(personPrefix) NOT (\(namePrefix) OR \(personWord))"
    case .other: return "(\(all)) NOT (\(namePrefix) OR \(personPrefix))"
    }
  }

  /// Whether `word` (folded) is matched by some token as the start of it.
  func startsWithToken(_ word: Substring) -> Bool {
    tokens.contains { word.hasPrefix($0) }
  }

  /// Whether some word of a folded text starts with one of the tokens.
  func mentions(_ folded: String) -> Bool {
    SearchQuery.tokens(folded).contains { startsWithToken(Substring($0)) }
  }
}

extension CRMDatabase {
  /// Rows `offset ..< offset + limit` of a search in relevance order (see `SearchRanking`),
  /// each with why it matched, and the statements that read them (the benchmark replays them
  /// through bare SQLite).
  func rankedPage(_ query: ClientListQuery, offset: Int, limit: Int) throws(CRMError)
    -> (rows: [ClientRow], statements: [SQLStatement])
  {
    let query = visible(query)
    guard let ranking = SearchRanking(query.search) else { return ([], []) }
    let me = viewer.user?.id
    return try read { db in
      var base = query
      base.search = ""
      let w = base.whereClause()
      var rows: [ClientRow] = []
      var statements: [SQLStatement] = []
      var need = limit
      var skip = offset
      let total = try Int.fetchOne(db, sql: "SELECT max(id) FROM client") ?? 0
      let tenth = max(1, total / 10)
      // Owned first only when the user may see others' clients and the list is not one owner's.
      let splitOwned: Bool = {
        guard let me, query.ownerId == nil else { return false }
        if case .owners(let ids, let unowned) = query.access, ids == [me], !unowned {
          return false
        }
        return true
      }()
      for tier in SearchRanking.Tier.allCases {
        guard need > 0 else { break }
        var membership: String
        var arguments: [SQLValue]
        var walk = false
        if let fts = ranking.fts(tier) {
          // A tier matching a tenth of the base or more walks the recency index and stops after
          // a page; fewer matches are sorted.
          let dense =
            (try Int.fetchOne(
              db,
              sql:
                "SELECT count(*) FROM (SELECT 1 FROM client_fts WHERE client_fts MATCH ? LIMIT ?)",
              arguments: [fts, tenth]) ?? 0) >= tenth
          walk = dense
          membership =
            dense && SearchQuery.usesPrefixIndex(query.search)
            ? "EXISTS (SELECT 1 FROM client_fts f WHERE f.client_fts MATCH ? AND f.rowid = c.id)"
            : "c.id IN (SELECT rowid FROM client_fts WHERE client_fts MATCH ?)"
          arguments = [.text(fts)]
        } else if let own = ranking.condition(tier) {
          membership = own.sql
          arguments = own.arguments
        } else {
          continue
        }
        if let above = ranking.excluded(above: tier) {
          // NOT over a NULL match_key/inn would drop the row: both columns are NOT NULL.
          membership += " AND NOT \(above.sql)"
          arguments += above.arguments
        }
        let owned: [(String, [SQLValue], Bool)] =
          splitOwned
          ? [
            ("c.owner_id = ?", [.integer(me!)], false),
            ("c.owner_id IS NOT ?", [.integer(me!)], walk),
          ]
          : [("1", [], walk)]
        for (ownerSQL, ownerArguments, walkIndex) in owned {
          guard need > 0 else { break }
          let condition = "\(w.sql) AND \(membership) AND \(ownerSQL)"
          let conditionArguments = w.arguments + arguments + ownerArguments
          let page = SQLStatement(
            sql: """
              SELECT \(ClientListQuery.rowColumns) FROM client c \
              \(walkIndex ? "INDEXED BY client_by_last_contact " : "")\
              LEFT JOIN app_user u ON u.id = c.owner_id
              WHERE \(condition) ORDER BY c.last_contact_at DESC, c.name_key, c.id LIMIT ? OFFSET ?
              """,
            arguments: conditionArguments + [.integer(Int64(need)), .integer(Int64(skip))])
          statements.append(page)
          let found = try Row.fetchAll(db, sql: page.sql, arguments: page.grdbArguments)
          if found.isEmpty && skip > 0 {
            // The whole segment lies before the page: how many rows it had, counted up to the
            // rows still to skip.
            let count = SQLStatement(
              sql: "SELECT count(*) FROM (SELECT 1 FROM client c WHERE \(condition) LIMIT ?)",
              arguments: conditionArguments + [.integer(Int64(skip))])
            statements.append(count)
            skip -= try Int.fetchOne(db, sql: count.sql, arguments: count.grdbArguments) ?? 0
            continue
          }
          skip = 0
          need -= found.count
          for r in found {
            var row = ClientRow(
              id: r["id"], name: ClientService.display(r), city: r["city"],
              phone: r["phone"] ?? "", segment: r["segment"], owner: r["owner"],
              lastContact: r.timestamp("last_contact_at"), deletedAt: r.timestamp("deleted_at"))
            row.match = try Self.explain(db, clientId: row.id, tier: tier, ranking)
            rows.append(row)
          }
        }
      }
      return (rows, statements)
    }
  }

  /// Why one client of a tier matched.
  static func explain(
    _ db: Database, clientId: Int64, tier: SearchRanking.Tier, _ ranking: SearchRanking
  ) throws -> SearchMatch {
    switch tier {
    case .nameExact, .nameWord, .namePrefix:
      return .name
    case .identifier:
      if let inn = ranking.inn,
        try Bool.fetchOne(
          db, sql: "SELECT EXISTS (SELECT 1 FROM client WHERE id = ? AND inn = ?)",
          arguments: [clientId, inn]) == true
      {
        return .inn
      }
      if let e164 = ranking.e164,
        try Bool.fetchOne(
          db, sql: "SELECT EXISTS (SELECT 1 FROM phone WHERE client_id = ? AND e164 = ?)",
          arguments: [clientId, e164]) == true
      {
        return .phone
      }
      return .email
    case .personWord, .personPrefix:
      let names = try String.fetchAll(
        db,
        sql: """
          SELECT name FROM contact_person WHERE client_id = ? AND deleted_at IS NULL
          ORDER BY id
          """, arguments: [clientId])
      // The person whose name holds every word, else one holding any.
      let all = names.first { name in
        let words = TextFold.words(name)
        return ranking.tokens.allSatisfy { t in words.contains { $0.hasPrefix(t) } }
      }
      let any = names.first { ranking.mentions(TextFold.key($0)) }
      return (all ?? any).map { .person($0) } ?? .fields([.persons])
    case .other:
      guard
        let r = try Row.fetchOne(
          db,
          sql: """
            SELECT f.persons, f.phones, f.emails, f.requisites, f.tags, c.city, c.notes
            FROM client_fts f JOIN client c ON c.id = f.rowid WHERE f.rowid = ?
            """, arguments: [clientId])
      else { return .fields([]) }
      var fields: [SearchMatch.Field] = []
      let columns: [(SearchMatch.Field, String)] = [
        (.persons, r["persons"] ?? ""), (.emails, r["emails"] ?? ""),
        (.phones, r["phones"] ?? ""), (.requisites, r["requisites"] ?? ""),
        (.tags, r["tags"] ?? ""), (.city, TextFold.key(r["city"] ?? "")),
        (.notes, TextFold.key(r["notes"] ?? "")),
      ]
      for (field, text) in columns where ranking.mentions(text) { fields.append(field) }
      return .fields(Array(fields.prefix(2)))
    }
  }
}
