import Foundation
import GRDB

/// How complete the client cards are: the fill rate of each counted field over the live base
/// (and over one owner's clients), a score per client, the least complete clients first. Every
/// number is one SQL aggregate over the clients table and index lookups; no client is loaded
/// into Swift except the page asked for.
public enum Completeness {
  /// A field the completeness report can count (`completeness_fields`).
  public enum Field: String, CaseIterable, Sendable, Equatable {
    case phone, email, inn, kpp, ogrn, website, city, owner, segment
    case leadSource = "lead_source"
    /// Any of the legal, actual or postal address.
    case address
    case legalAddress = "legal_address"
    case actualAddress = "actual_address"
    case postalAddress = "postal_address"
    /// At least one contact person (companies only).
    case person
    case tag
    case bankAccount = "bank_account"

    public static let defaults: [Field] = [
      .phone, .email, .inn, .city, .owner, .segment, .leadSource, .address, .person,
    ]

    /// Only companies are asked for it: a person client has no ИНН, КПП, ОГРН, contact persons
    /// or bank account requirement.
    public var companiesOnly: Bool {
      switch self {
      case .inn, .kpp, .ogrn, .person, .bankAccount: return true
      default: return false
      }
    }

    /// 1 when the client `c` has the field filled (SQL over `client c`).
    var filledSQL: String {
      switch self {
      case .phone: return "EXISTS (SELECT 1 FROM phone p WHERE p.client_id = c.id)"
      case .email: return "EXISTS (SELECT 1 FROM email e WHERE e.client_id = c.id)"
      case .inn: return "c.inn <> ''"
      case .kpp: return "c.kpp <> ''"
      case .ogrn: return "c.ogrn <> ''"
      case .website: return "c.website <> ''"
      case .city: return "c.city <> ''"
      case .owner: return "c.owner_id IS NOT NULL"
      case .segment: return "c.segment <> ''"
      case .leadSource: return "c.lead_source <> ''"
      case .address:
        return "(c.legal_address <> '' OR c.actual_address <> '' OR c.postal_address <> '')"
      case .legalAddress: return "c.legal_address <> ''"
      case .actualAddress: return "c.actual_address <> ''"
      case .postalAddress: return "c.postal_address <> ''"
      case .person:
        return
          "EXISTS (SELECT 1 FROM contact_person cp WHERE cp.client_id = c.id AND cp.deleted_at IS NULL)"
      case .tag: return "EXISTS (SELECT 1 FROM client_tag t WHERE t.client_id = c.id)"
      case .bankAccount: return "EXISTS (SELECT 1 FROM bank_account b WHERE b.client_id = c.id)"
      }
    }

    /// 1 when the field counts for the client and is filled.
    var scoreSQL: String {
      companiesOnly ? "(c.kind = 'company' AND \(filledSQL))" : "(\(filledSQL))"
    }

    /// 1 when the field counts for the client.
    var applicableSQL: String { companiesOnly ? "(c.kind = 'company')" : "1" }

    public func name(_ l: Language) -> String {
      switch self {
      case .phone: return l.pick("phone", "телефон")
      case .email: return l.pick("e-mail", "e-mail")
      case .inn: return l.pick("INN", "ИНН")
      case .kpp: return l.pick("KPP", "КПП")
      case .ogrn: return l.pick("OGRN", "ОГРН")
      case .website: return l.pick("website", "сайт")
      case .city: return l.pick("city", "город")
      case .owner: return l.pick("owner", "ответственный")
      case .segment: return l.pick("segment", "сегмент")
      case .leadSource: return l.pick("lead source", "источник")
      case .address: return l.pick("address", "адрес")
      case .legalAddress: return l.pick("legal address", "юр. адрес")
      case .actualAddress: return l.pick("actual address", "факт. адрес")
      case .postalAddress: return l.pick("postal address", "почт. адрес")
      case .person: return l.pick("contact person", "контактное лицо")
      case .tag: return l.pick("tag", "тег")
      case .bankAccount: return l.pick("bank account", "банковский счёт")
      }
    }

    /// `phone,email, inn` → fields; unknown or repeated names are refused, naming the known ones.
    public static func parseList(_ text: String, language l: Language) throws(CRMError) -> [Field] {
      let names = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " })
        .map { String($0).lowercased().replacingOccurrences(of: "-", with: "_") }
      let known = allCases.map(\.rawValue).joined(separator: ", ")
      guard !names.isEmpty else {
        throw .invalid(
          field: "completeness_fields",
          problem: l.pick(
            "name at least one field; known: \(known)",
            "укажите хотя бы одно поле; есть: \(known)"))
      }
      var out: [Field] = []
      for n in names {
        guard let f = Field(rawValue: n) else {
          throw .invalid(
            field: "completeness_fields",
            problem: l.pick(
              "unknown field «\(n)»; known: \(known)", "неизвестное поле «\(n)»; есть: \(known)"))
        }
        if !out.contains(f) { out.append(f) }
      }
      return out
    }
  }

  /// The fill rate of one field: clients it counts for, and of them how many have it.
  public struct Rate: Equatable, Sendable {
    public var field: Field
    public var applicable: Int
    public var filled: Int
    public var share: Double? { applicable == 0 ? nil : Double(filled) / Double(applicable) }
  }

  /// The rates over the whole live base and over one owner's clients.
  public struct Summary: Equatable, Sendable {
    public var clients: Int
    public var base: [Rate]
    /// The mean score of the clients, 0…1 (nil without clients).
    public var meanScore: Double?
    public var complete: Int
    public var mine: [Rate]?
    public var myClients: Int?
  }

  /// A client of the incomplete list: its score and what it lacks.
  public struct Row: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var owner: String
    public var segment: String
    public var filled: Int
    public var applicable: Int
    public var missing: [Field]
    public var score: Double { applicable == 0 ? 1 : Double(filled) / Double(applicable) }
  }

  /// Which clients: all live ones, or one owner's, or one segment's.
  public struct Scope: Equatable, Sendable {
    public var ownerId: Int64?
    public var segment: String?
    /// Set from the signed-in user by `summary` and `incomplete`.
    var access: ClientAccess = .all
    public init(ownerId: Int64? = nil, segment: String? = nil) {
      self.ownerId = ownerId
      self.segment = segment
    }

    var whereSQL: (String, [DatabaseValueConvertible?]) {
      var c = SQLConditions(["c.deleted_at IS NULL"])
      c.add("c.owner_id = ?", ownerId)
      c.add("c.segment = ?", segment)
      if !access.isAll { c.add(access.condition(client: "c"), values: []) }
      return (c.sql, c.values)
    }
  }

  /// Fill rates per field over `scope`, and over `mine` (the current user's clients) when given.
  public static func summary(
    _ database: CRMDatabase, fields: [Field], scope: Scope = Scope(), mine: Int64? = nil
  ) throws(CRMError) -> Summary {
    var scope = scope
    scope.access = database.access
    return try database.read { db in
      let (base, count, mean, complete) = try rates(db, fields: fields, scope: scope)
      var s = Summary(
        clients: count, base: base, meanScore: mean, complete: complete, mine: nil, myClients: nil)
      if let mine {
        var my = scope
        my.ownerId = mine
        let (rates, n, _, _) = try rates(db, fields: fields, scope: my)
        s.mine = rates
        s.myClients = n
      }
      return s
    }
  }

  /// Each field's filled bit, the score and the applicable count of every client in `scope`,
  /// computed once per client (MATERIALIZED keeps SQLite from copying the EXISTS lookups into
  /// every expression that uses them).
  static func bitsCTE(fields: [Field], whereSQL: String) -> String {
    let bits = fields.indices.map { "\(fields[$0].scoreSQL) AS f\($0)" }.joined(separator: ", ")
    let applicable = fields.map(\.applicableSQL).joined(separator: " + ")
    let sum = fields.indices.map { "f\($0)" }.joined(separator: " + ")
    return """
      WITH raw AS MATERIALIZED (
        SELECT c.id, c.kind, c.name_key, \(bits), (\(applicable)) AS apply
        FROM client c WHERE \(whereSQL)
      ),
      b AS (SELECT raw.*, (\(sum)) AS score FROM raw)
      """
  }

  static func rates(_ db: Database, fields: [Field], scope: Scope) throws -> (
    [Rate], Int, Double?, Int
  ) {
    guard !fields.isEmpty else { return ([], 0, nil, 0) }
    let (whereSQL, args) = scope.whereSQL
    let filled = fields.indices.map { "SUM(f\($0))" }
    let applicable = fields.map {
      $0.companiesOnly ? "SUM(kind = 'company')" : "COUNT(*)"
    }
    let sql = """
      \(bitsCTE(fields: fields, whereSQL: whereSQL))
      SELECT COUNT(*), \((filled + applicable).joined(separator: ", ")),
        AVG(CASE WHEN apply = 0 THEN 1.0 ELSE score * 1.0 / apply END),
        SUM(score = apply)
      FROM b
      """
    guard let row = try GRDB.Row.fetchOne(db, sql: sql, arguments: StatementArguments(args))
    else { return ([], 0, nil, 0) }
    let n = fields.count
    let rates = fields.enumerated().map { i, f in
      Rate(
        field: f, applicable: (row[1 + n + i] as Int?) ?? 0, filled: (row[1 + i] as Int?) ?? 0)
    }
    return (rates, row[0], row[1 + 2 * n], (row[2 + 2 * n] as Int?) ?? 0)
  }

  /// The clients whose score is below 100 %, the lowest score first (then by name), one page.
  public static func incomplete(
    _ database: CRMDatabase, fields: [Field], scope: Scope = Scope(), offset: Int = 0,
    limit: Int = 50
  ) throws(CRMError) -> [Row] {
    guard !fields.isEmpty else { return [] }
    var scope = scope
    scope.access = database.access
    return try database.read { db in
      let (whereSQL, args) = scope.whereSQL
      let sql = """
        \(bitsCTE(fields: fields, whereSQL: whereSQL))
        SELECT b.*, c.name, c.legal_form, c.segment, COALESCE(u.login, '') AS owner
        FROM (SELECT * FROM b WHERE score < apply
              ORDER BY score * 1.0 / apply, name_key, id LIMIT ? OFFSET ?) b
        JOIN client c ON c.id = b.id
        LEFT JOIN app_user u ON u.id = c.owner_id
        ORDER BY b.score * 1.0 / b.apply, b.name_key, b.id
        """
      let rows = try GRDB.Row.fetchAll(
        db, sql: sql, arguments: StatementArguments(args + [limit, offset]))
      return rows.map { r in
        let company = (r["kind"] as String?) == "company"
        var missing: [Field] = []
        for (i, f) in fields.enumerated()
        where (r["f\(i)"] as Int? ?? 0) == 0 && (company || !f.companiesOnly) {
          missing.append(f)
        }
        return Row(
          id: r["id"], name: Client.displayName(name: r["name"], legalForm: r["legal_form"]),
          owner: r["owner"], segment: r["segment"], filled: r["score"], applicable: r["apply"],
          missing: missing)
      }
    }
  }

  /// The number of clients with a score below 100 % in `scope` (one pass; the summary has it too
  /// as `clients - complete`).
  public static func incompleteCount(_ database: CRMDatabase, fields: [Field], scope: Scope)
    throws(CRMError) -> Int
  {
    guard !fields.isEmpty else { return 0 }
    return try database.read { db in
      let (_, clients, _, complete) = try rates(db, fields: fields, scope: scope)
      return clients - complete
    }
  }
}
