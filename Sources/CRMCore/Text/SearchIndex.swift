import Foundation
import GRDB

/// Keeps `client_fts` in step with the tables. Called inside every write transaction that
/// touches a client or its persons, so the index can never disagree with a committed state.
enum SearchIndex {
  static func update(_ db: Database, clientId: Int64) throws {
    try db.cachedStatement(sql: "DELETE FROM client_fts WHERE rowid = ?").execute(
      arguments: [clientId])
    guard let doc = try expected(db, clientId: clientId) else { return }
    try insert(db, clientId: clientId, doc)
  }

  /// What the index must hold for a client, read from the tables: nil when the client is
  /// missing or in the trash (then it must have no row).
  static func expected(_ db: Database, clientId: Int64) throws -> [String]? {
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT name, legal_form, inn, kpp, ogrn, notes, city FROM client
            WHERE id = ? AND deleted_at IS NULL
            """), arguments: [clientId])
    else { return nil }
    let persons = try String.fetchAll(
      db.cachedStatement(
        sql: "SELECT name FROM contact_person WHERE client_id = ? AND deleted_at IS NULL"),
      arguments: [clientId])
    let phones = try Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT p.raw, p.e164 FROM phone p LEFT JOIN contact_person cp ON cp.id = p.person_id
          WHERE p.client_id = ? AND (p.person_id IS NULL OR cp.deleted_at IS NULL)
          """), arguments: [clientId])
    let emails = try String.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT e.address FROM email e LEFT JOIN contact_person cp ON cp.id = e.person_id
          WHERE e.client_id = ? AND (e.person_id IS NULL OR cp.deleted_at IS NULL)
          """), arguments: [clientId])
    let tags = try String.fetchAll(
      db.cachedStatement(sql: "SELECT tag FROM client_tag WHERE client_id = ?"),
      arguments: [clientId])
    return document(
      name: row["name"], legalForm: row["legal_form"], persons: persons,
      phones: phones.map { ($0["raw"], $0["e164"]) }, emails: emails,
      requisites: [row["inn"], row["kpp"], row["ogrn"]], tags: tags, city: row["city"],
      notes: row["notes"])
  }

  /// The indexed text of one client, column by column, folded like queries are.
  static func document(
    name: String, legalForm: String, persons: [String], phones: [(String, String?)],
    emails: [String], requisites: [String], tags: [String], city: String, notes: String
  ) -> [String] {
    [
      TextFold.key(legalForm + " " + name), TextFold.key(persons.joined(separator: " ")),
      phones.map { phoneTokens(raw: $0.0, e164: $0.1) }.joined(separator: " "),
      TextFold.key(emails.joined(separator: " ")), requisites.joined(separator: " "),
      TextFold.key(tags.joined(separator: " ")), TextFold.key(city + " " + notes),
    ]
  }

  static let insertSQL = """
    INSERT INTO client_fts (rowid, name, persons, phones, emails, requisites, tags, notes)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    """

  static func insert(_ db: Database, clientId: Int64, _ doc: [String]) throws {
    let statement = try db.cachedStatement(sql: insertSQL)
    try statement.execute(arguments: StatementArguments([clientId] + doc))
  }

  /// Digit tokens for one phone: the international and national forms, the last seven and the
  /// last four digits, so "8 495…", "+7 495…", "495 12", "123-45-67" and "45-67" all find it
  /// by prefix while the index stays small. A foreign number also gets its national number
  /// (after the country code) and its digits as typed (`0176 2338…` with the trunk 0, `00 1 212…`).
  static func phoneTokens(raw: String, e164: String?) -> String {
    let typed = String(raw.filter(\.isNumber))
    guard let e164 else { return typed }
    let digits = e164.dropFirst()
    guard digits.hasPrefix("7") && digits.count == 11 else {
      let national = digits.dropFirst(PhoneNumber.countryCode(digits).count)
      var tokens = [
        String(digits), String(national), String(digits.suffix(7)), String(digits.suffix(4)),
      ]
      if !typed.isEmpty && !tokens.contains(where: { $0.hasPrefix(typed) }) { tokens.append(typed) }
      return tokens.joined(separator: " ")
    }
    let national = digits.dropFirst()
    return "\(digits) 8\(national) \(national) \(national.suffix(7)) \(national.suffix(4))"
  }
}

/// Turns what a person typed into a safe FTS5 query: every word becomes a quoted prefix term,
/// so quotes, `*`, `-`, `AND`, `NEAR(` or SQL fragments are searched as text, never parsed.
public enum SearchQuery {
  /// The MATCH expression, or nil when the text has nothing searchable.
  public static func match(_ text: String) -> String? {
    let t = terms(text).flatMap(tokens)
    return t.isEmpty ? nil : t.map { "\(quote($0))*" }.joined(separator: " ")
  }

  /// The tokens FTS5's `unicode61` tokenizer makes of one term: runs of its token characters
  /// (categories L*, N*, Co). A term it would split (a combining mark or a control character
  /// inside a word: `лَo`) would otherwise be a phrase, which `detail = column` refuses with
  /// "fts5: phrase queries are not supported" (found by fuzzing).
  static func tokens(_ term: String) -> [String] {
    var out: [String] = []
    var current = String.UnicodeScalarView()
    for u in term.unicodeScalars {
      switch u.properties.generalCategory {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        .decimalNumber, .letterNumber, .otherNumber, .privateUse:
        current.append(u)
      default:
        if !current.isEmpty { out.append(String(current)) }
        current = String.UnicodeScalarView()
      }
    }
    if !current.isEmpty { out.append(String(current)) }
    return out
  }

  /// The prefix terms of the query: one run of digits for phone-like input ("8 (495) 12"),
  /// otherwise the folded words (at most 16).
  public static func terms(_ text: String) -> [String] {
    let phoneChars = Set("0123456789+()- .")
    let trimmed = text.trimmingSpaces()
    let digits = trimmed.filter(\.isNumber)
    if digits.count >= 3 && trimmed.allSatisfy({ phoneChars.contains($0) }) {
      return [String(digits.prefix(15))]
    }
    return Array(TextFold.words(text).prefix(16))
  }

  /// True when every term is served by the FTS prefix index (`prefix = '1 2'`), so testing one
  /// row against the query is a cheap seek rather than a merge of many terms' doclists.
  static func usesPrefixIndex(_ text: String) -> Bool {
    let t = terms(text)
    return !t.isEmpty && t.allSatisfy { $0.count <= 2 }
  }

  static func quote(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// How alike two company or person names are, ignoring legal forms, quotes, case and ё.
public enum NameSimilarity {
  public static let threshold = 0.85
  static let noise: Set<String> = [
    "ооо", "оао", "зао", "пао", "ао", "ип", "нко", "ано", "гуп", "муп", "llc", "ltd", "inc",
    "gmbh", "corp", "co", "and", "и",
  ]

  static func significantWords(_ name: String) -> [String] {
    TextFold.words(name).filter { !noise.contains($0) }
  }

  /// 1.0 for the same name, falling with the edit distance between the significant words.
  public static func score(_ a: String, _ b: String) -> Double {
    let x = Array(significantWords(a).joined(separator: " "))
    let y = Array(significantWords(b).joined(separator: " "))
    if x.isEmpty || y.isEmpty { return 0 }
    if x == y { return 1 }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      cur[0] = i
      for j in 1...y.count {
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
      }
      swap(&prev, &cur)
    }
    return 1 - Double(prev[y.count]) / Double(max(x.count, y.count))
  }
}
