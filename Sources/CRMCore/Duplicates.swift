import Foundation
import GRDB

/// What a duplicate pair is made of.
public enum DuplicateEntity: String, Sendable, CaseIterable {
  case client, person
}

/// Why two clients (or persons) may be one.
public enum DuplicateReason: Equatable, Sendable {
  case sameINN(String)
  case samePhone(String)
  case sameEmail(String)
  /// The folded names are equal (legal forms, quotes, case, ё and the alphabet aside).
  case sameName
  /// The folded names are this many percent alike.
  case similarName(Int)
  /// Both have a valid ИНН and they differ: never merged without a person's say-so.
  case differentINN(String, String)

  public func text(_ l: Language) -> String {
    switch self {
    case .sameINN(let inn): return l.pick("same ИНН \(inn)", "тот же ИНН \(inn)")
    case .samePhone(let p): return l.pick("same phone \(p)", "тот же телефон \(p)")
    case .sameEmail(let e): return l.pick("same e-mail \(e)", "тот же e-mail \(e)")
    case .sameName: return l.pick("same name", "то же название")
    case .similarName(let p): return l.pick("names \(p) % alike", "названия похожи на \(p) %")
    case .differentINN(let a, let b):
      return l.pick("different ИНН \(a) and \(b)", "разные ИНН \(a) и \(b)")
    }
  }

  /// A short machine name for JSON: `same_inn`, `same_phone`…
  public var code: String {
    switch self {
    case .sameINN: return "same_inn"
    case .samePhone: return "same_phone"
    case .sameEmail: return "same_email"
    case .sameName: return "same_name"
    case .similarName: return "similar_name"
    case .differentINN: return "different_inn"
    }
  }
}

/// Two clients (or contact persons) that may be the same, with a score and its reasons.
public struct DuplicatePair: Equatable, Sendable {
  public var entity: DuplicateEntity
  /// The smaller id first.
  public var first: Int64
  public var second: Int64
  public var firstName: String
  public var secondName: String
  /// 0…100.
  public var score: Int
  public var reasons: [DuplicateReason]
  /// Both have valid, different ИНН: shown for review, never merged automatically.
  public var conflictingINN: Bool

  public init(
    entity: DuplicateEntity, first: Int64, second: Int64, firstName: String, secondName: String,
    score: Int, reasons: [DuplicateReason], conflictingINN: Bool
  ) {
    self.entity = entity
    self.first = first
    self.second = second
    self.firstName = firstName
    self.secondName = secondName
    self.score = score
    self.reasons = reasons
    self.conflictingINN = conflictingINN
  }

  /// "same phone +74951234567; names 92 % alike".
  public func reasonsText(_ l: Language) -> String {
    reasons.map { $0.text(l) }.joined(separator: "; ")
  }
}

/// What scoring knows of one client or person.
struct DuplicateProfile {
  var id: Int64
  var name: String
  var inn: String
  var key: [Unicode.Scalar]
  var phones: [String] = []
  var emails: [String] = []

  init(id: Int64, name: String, inn: String, key: String) {
    self.id = id
    self.name = name
    self.inn = inn
    self.key = Array(key.unicodeScalars)
  }
}

/// The score of a pair: independent pieces of evidence combined as
/// `1 − Π(1 − pᵢ)` — ИНН 0.97, e-mail 0.85, phone 0.8, the same folded name 0.85, a similar one
/// from 0.6 (80 % alike) rising to 0.85; names under 60 % alike are no evidence. A pair with two
/// valid, different ИНН is capped at 50. Rules in docs/client-base.md.
enum DuplicateScore {
  static func evaluate(_ a: DuplicateProfile, _ b: DuplicateProfile) -> (
    score: Int, reasons: [DuplicateReason], conflicting: Bool
  ) {
    var reasons: [DuplicateReason] = []
    var miss = 1.0
    if !a.inn.isEmpty && a.inn == b.inn {
      reasons.append(.sameINN(a.inn))
      miss *= 0.03
    }
    if let phone = a.phones.first(where: { b.phones.contains($0) }) {
      reasons.append(.samePhone(phone))
      miss *= 0.2
    }
    if let email = a.emails.first(where: { b.emails.contains($0) }) {
      reasons.append(.sameEmail(email))
      miss *= 0.15
    }
    let sim = similarity(a.key, b.key)
    if sim >= 1 {
      reasons.append(.sameName)
      miss *= 0.15
    } else if sim >= 0.6 {
      reasons.append(.similarName(Int((sim * 100).rounded(.down))))
      miss *= 1 - nameEvidence(sim)
    }
    var score = Int(((1 - miss) * 100).rounded())
    let conflicting =
      a.inn != b.inn && Requisites.isValidINN(a.inn) && Requisites.isValidINN(b.inn)
    if conflicting {
      score = min(score, 50)
      reasons.append(.differentINN(a.inn, b.inn))
    }
    return (score, reasons, conflicting)
  }

  /// How much a name `sim` alike says: nothing under 0.6, 0.6 at 0.8, 0.85 at 1.
  static func nameEvidence(_ sim: Double) -> Double {
    if sim >= 0.8 { return 0.6 + 0.25 * (sim - 0.8) / 0.2 }
    if sim >= 0.6 { return 0.6 * (sim - 0.6) / 0.2 }
    return 0
  }

  /// 1 − Levenshtein distance / the longer length, on folded keys; 0 when either is empty.
  static func similarity(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Double {
    if x.isEmpty || y.isEmpty { return 0 }
    if x == y { return 1 }
    let longer = max(x.count, y.count)
    // The length difference alone bounds the distance: skip hopeless pairs cheaply.
    if Double(longer - min(x.count, y.count)) / Double(longer) > 0.4 { return 0 }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      cur[0] = i
      let xi = x[i - 1]
      for j in 1...y.count {
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (xi == y[j - 1] ? 0 : 1))
      }
      swap(&prev, &cur)
    }
    return 1 - Double(prev[y.count]) / Double(longer)
  }
}

/// Finds duplicate clients and contact persons: candidates from blocking keys (ИНН, phone,
/// e-mail, the folded name and its sorted neighbours), each pair scored by `DuplicateScore`.
public struct DuplicateFinder: Sendable {
  public let db: CRMDatabase
  public let userId: Int64?
  public let language: Language

  /// A key shared by more clients than this (an office switchboard, `info@`) is no evidence of
  /// sameness and would make the scan quadratic: such blocks are skipped.
  public static let largestBlock = 30
  /// How many sorted neighbours of each folded name are compared.
  static let window = 4

  public init(db: CRMDatabase, userId: Int64?, language: Language) {
    self.db = db
    self.userId = userId
    self.language = language
  }

  // MARK: The whole base

  /// Every candidate pair among live clients (or persons), best first; pairs marked "not a
  /// duplicate" are left out.
  public func scan(_ entity: DuplicateEntity = .client, minScore: Int = 70) throws(CRMError)
    -> [DuplicatePair]
  {
    try db.read { db in try Self.scan(db, entity, minScore: minScore) }
  }

  static func scan(_ db: Database, _ entity: DuplicateEntity, minScore: Int) throws
    -> [DuplicatePair]
  {
    var profiles = try loadProfiles(db, entity)
    var index: [Int64: Int32] = [:]
    index.reserveCapacity(profiles.count)
    for (i, p) in profiles.enumerated() { index[p.id] = Int32(i) }
    var candidates = Set<UInt64>()
    func pair(_ a: Int32, _ b: Int32) {
      if a == b { return }
      let (lo, hi) = a < b ? (a, b) : (b, a)
      candidates.insert(UInt64(UInt32(lo)) << 32 | UInt64(UInt32(hi)))
    }
    func block(_ members: [Int32]) {
      guard members.count > 1, members.count <= largestBlock else { return }
      for i in 0..<members.count {
        for j in (i + 1)..<members.count { pair(members[i], members[j]) }
      }
    }
    // Blocks by ИНН, phone and e-mail, attaching the keys to the profiles on the way.
    var byINN: [String: [Int32]] = [:]
    for (i, p) in profiles.enumerated() where !p.inn.isEmpty {
      byINN[p.inn, default: []].append(Int32(i))
    }
    let owner = entity == .client ? "client_id" : "person_id"
    var byPhone: [String: [Int32]] = [:]
    let phones = try Row.fetchCursor(
      db, sql: "SELECT \(owner), e164 FROM phone WHERE e164 IS NOT NULL AND \(owner) IS NOT NULL")
    while let r = try phones.next() {
      guard let i = index[r[0]] else { continue }
      let e164: String = r[1]
      if profiles[Int(i)].phones.contains(e164) { continue }
      profiles[Int(i)].phones.append(e164)
      byPhone[e164, default: []].append(i)
    }
    var byEmail: [String: [Int32]] = [:]
    let emails = try Row.fetchCursor(
      db, sql: "SELECT \(owner), address_key FROM email WHERE \(owner) IS NOT NULL")
    while let r = try emails.next() {
      guard let i = index[r[0]] else { continue }
      let key = DuplicateKeys.email(r[1])
      if key.isEmpty || profiles[Int(i)].emails.contains(key) { continue }
      profiles[Int(i)].emails.append(key)
      byEmail[key, default: []].append(i)
    }
    // A phone or e-mail shared by a crowd is nobody's evidence, in a block or in a score.
    for (phone, members) in byPhone where members.count > largestBlock {
      for i in members { profiles[Int(i)].phones.removeAll { $0 == phone } }
    }
    for (email, members) in byEmail where members.count > largestBlock {
      for i in members { profiles[Int(i)].emails.removeAll { $0 == email } }
    }
    for members in byINN.values { block(members) }
    for members in byPhone.values { block(members) }
    for members in byEmail.values { block(members) }
    // Names: equal folded names, then the nearest neighbours in the order of the folded name
    // and of its reverse (a typo near the start moves a name far away in the first order only).
    var byKey: [[Unicode.Scalar]: [Int32]] = [:]
    for (i, p) in profiles.enumerated() where !p.key.isEmpty {
      byKey[p.key, default: []].append(Int32(i))
    }
    for members in byKey.values { block(members) }
    let named = profiles.indices.filter { !profiles[$0].key.isEmpty }
    let reversed = named.map { Array(profiles[$0].key.reversed()) }
    for order in [
      named.sorted { profiles[$0].key.lexicographicallyPrecedes(profiles[$1].key) },
      named.indices.sorted { reversed[$0].lexicographicallyPrecedes(reversed[$1]) }.map {
        named[$0]
      },
    ] {
      for (n, i) in order.enumerated() {
        for m in (n + 1)..<min(n + 1 + window, order.count) {
          let j = order[m]
          if profiles[i].key == profiles[j].key { continue }  // already a block
          if DuplicateScore.similarity(profiles[i].key, profiles[j].key) >= 0.8 {
            pair(Int32(i), Int32(j))
          }
        }
      }
    }
    let dismissed = try dismissedPairs(db, entity)
    var out: [DuplicatePair] = []
    for c in candidates {
      let a = profiles[Int(c >> 32)]
      let b = profiles[Int(c & 0xFFFF_FFFF)]
      let (first, second) = a.id < b.id ? (a, b) : (b, a)
      if dismissed.contains(PairIds(first.id, second.id)) { continue }
      let e = DuplicateScore.evaluate(first, second)
      guard e.score >= minScore else { continue }
      out.append(
        DuplicatePair(
          entity: entity, first: first.id, second: second.id, firstName: first.name,
          secondName: second.name, score: e.score, reasons: e.reasons,
          conflictingINN: e.conflicting))
    }
    return out.sorted {
      ($0.score, $1.first, $1.second) > ($1.score, $0.first, $0.second)
    }
  }

  struct PairIds: Hashable {
    var a: Int64
    var b: Int64
    init(_ a: Int64, _ b: Int64) {
      self.a = min(a, b)
      self.b = max(a, b)
    }
  }

  static func dismissedPairs(_ db: Database, _ entity: DuplicateEntity) throws -> Set<PairIds> {
    var out = Set<PairIds>()
    let rows = try Row.fetchCursor(
      db, sql: "SELECT first_id, second_id FROM not_duplicate WHERE entity = ?",
      arguments: [entity.rawValue])
    while let r = try rows.next() { out.insert(PairIds(r[0], r[1])) }
    return out
  }

  /// Live clients (or persons of live clients) with their names and ИНН.
  static func loadProfiles(_ db: Database, _ entity: DuplicateEntity) throws -> [DuplicateProfile] {
    var out: [DuplicateProfile] = []
    switch entity {
    case .client:
      let rows = try Row.fetchCursor(
        db,
        sql: "SELECT id, name, legal_form, inn, match_key FROM client WHERE deleted_at IS NULL")
      while let r = try rows.next() {
        let inn: String = r[3]
        out.append(
          DuplicateProfile(
            id: r[0], name: Client.displayName(name: r[1], legalForm: r[2]),
            inn: inn.trimmingSpaces(), key: r[4]))
      }
    case .person:
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT p.id, p.name, c.name, c.legal_form, p.match_key FROM contact_person p
          JOIN client c ON c.id = p.client_id
          WHERE p.deleted_at IS NULL AND c.deleted_at IS NULL
          """)
      while let r = try rows.next() {
        let person: String = r[1]
        let client = Client.displayName(name: r[2], legalForm: r[3])
        out.append(
          DuplicateProfile(id: r[0], name: "\(person) (\(client))", inn: "", key: r[4]))
      }
    }
    return out
  }

  // MARK: One client

  /// Live clients that may be `client` (not yet stored, or stored: its own id is skipped),
  /// best first.
  public func matches(for client: Client, minScore: Int = 70, limit: Int = 5) throws(CRMError)
    -> [DuplicatePair]
  {
    try db.read { db in try Self.matches(db, for: client, minScore: minScore, limit: limit) }
  }

  /// The same inside a caller's transaction (an import sees the rows it has added so far).
  /// `fuzzy` adds names that are only similar (one more index range per call).
  public static func matches(
    _ db: Database, for client: Client, minScore: Int = 70, limit: Int = 5, fuzzy: Bool = true
  ) throws -> [DuplicatePair] {
    var me = DuplicateProfile(
      id: client.id ?? 0, name: client.displayName, inn: client.inn.trimmingSpaces(),
      key: DuplicateKeys.name(client.name))
    me.phones = client.phones.compactMap { $0.e164 ?? PhoneNumber.e164($0.raw) }
    me.emails = client.emails.map(DuplicateKeys.email).filter { !$0.isEmpty }
    var ids: [Int64] = []
    func add(_ sql: String, _ arguments: StatementArguments) throws {
      for id in try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
      where id != client.id && !ids.contains(id) {
        ids.append(id)
      }
    }
    if !me.inn.isEmpty {
      try add(
        "SELECT id FROM client WHERE inn = ? AND inn <> '' AND deleted_at IS NULL LIMIT 20",
        [me.inn])
    }
    // A phone or e-mail shared by a crowd (a switchboard, info@) is no evidence.
    let crowd = largestBlock + 1
    me.phones = try me.phones.filter { phone in
      let found = try Int64.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT DISTINCT c.id FROM phone p JOIN client c ON c.id = p.client_id
            WHERE p.e164 = ? AND c.deleted_at IS NULL LIMIT ?
            """), arguments: [phone, crowd])
      guard found.count < crowd else { return false }
      for id in found where id != client.id && !ids.contains(id) { ids.append(id) }
      return true
    }
    me.emails = try me.emails.filter { email in
      let found = try Int64.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT DISTINCT c.id FROM email e JOIN client c ON c.id = e.client_id
            WHERE e.address_key = ? AND c.deleted_at IS NULL LIMIT ?
            """), arguments: [TextFold.key(email), crowd])
      guard found.count < crowd else { return false }
      for id in found where id != client.id && !ids.contains(id) { ids.append(id) }
      return true
    }
    let key = String(String.UnicodeScalarView(me.key))
    if !key.isEmpty {
      if fuzzy {
        // Names whose folded key starts like this one's, or like any of its longer words (keys
        // are sorted word by word, so a word added in front moves the key elsewhere).
        var prefixes = [String(String.UnicodeScalarView(me.key.prefix(3)))]
        for word in key.split(separator: " ") where word.count >= 4 {
          let p = String(word.prefix(4))
          if !prefixes.contains(p) && prefixes.count < 4 { prefixes.append(p) }
        }
        for prefix in prefixes {
          let rows = try Row.fetchCursor(
            db.cachedStatement(
              sql: """
                SELECT id, match_key FROM client WHERE match_key >= ? AND match_key < ?
                  AND match_key <> '' AND deleted_at IS NULL LIMIT 200
                """), arguments: [prefix, prefix + "\u{10FFFF}"])
          while let r = try rows.next() {
            let id: Int64 = r[0]
            if id == client.id || ids.contains(id) { continue }
            let other: String = r[1]
            if DuplicateScore.similarity(me.key, Array(other.unicodeScalars)) >= 0.6 {
              ids.append(id)
            }
          }
        }
      } else {
        try add(
          """
          SELECT id FROM client WHERE match_key = ? AND match_key <> '' AND deleted_at IS NULL
          LIMIT 20
          """, [key])
      }
    }
    guard !ids.isEmpty else { return [] }
    let others = try profiles(db, ids: ids)
    var out: [DuplicatePair] = []
    for other in others {
      let e = DuplicateScore.evaluate(me, other)
      guard e.score >= minScore else { continue }
      let meFirst = client.id.map { $0 < other.id } ?? false
      out.append(
        DuplicatePair(
          entity: .client, first: meFirst ? me.id : other.id, second: meFirst ? other.id : me.id,
          firstName: meFirst ? me.name : other.name, secondName: meFirst ? other.name : me.name,
          score: e.score, reasons: e.reasons, conflictingINN: e.conflicting))
    }
    if let id = client.id {
      out = try out.filter { pair in
        let ids = PairIds(pair.first, pair.second)
        return try Int.fetchOne(
          db.cachedStatement(
            sql: """
              SELECT count(*) FROM not_duplicate
              WHERE entity = 'client' AND first_id = ? AND second_id = ?
              """), arguments: [ids.a, ids.b]) == 0 || ids.a != id && ids.b != id
      }
    }
    return Array(
      out.sorted { ($0.score, $1.first) > ($1.score, $0.first) }.prefix(limit))
  }

  /// Profiles of the given live clients with their phones and e-mails (cached statements:
  /// an import calls this for every row).
  static func profiles(_ db: Database, ids: [Int64]) throws -> [DuplicateProfile] {
    var out: [DuplicateProfile] = []
    let client = try db.cachedStatement(
      sql: """
        SELECT id, name, legal_form, inn, match_key FROM client
        WHERE id = ? AND deleted_at IS NULL
        """)
    let phones = try db.cachedStatement(
      sql: "SELECT e164 FROM phone WHERE client_id = ? AND e164 IS NOT NULL")
    let emails = try db.cachedStatement(sql: "SELECT address_key FROM email WHERE client_id = ?")
    for id in ids {
      guard let r = try Row.fetchOne(client, arguments: [id]) else { continue }
      let inn: String = r[3]
      var p = DuplicateProfile(
        id: r[0], name: Client.displayName(name: r[1], legalForm: r[2]),
        inn: inn.trimmingSpaces(), key: r[4])
      p.phones = try String.fetchAll(phones, arguments: [id])
      p.emails = try String.fetchAll(emails, arguments: [id]).map(DuplicateKeys.email).filter {
        !$0.isEmpty
      }
      out.append(p)
    }
    return out
  }

  // MARK: Marks

  /// Marks a pair "not a duplicate": the scan leaves it out from now on. Idempotent.
  public func markNotDuplicate(_ entity: DuplicateEntity, _ a: Int64, _ b: Int64) throws(CRMError) {
    let l = language
    guard a != b else {
      throw CRMError.invalid(
        field: l.pick("pair", "пара"),
        problem: l.pick("a client cannot be its own duplicate", "клиент не может быть дублем себя"))
    }
    let pair = PairIds(a, b)
    let at = db.clock.now().timeIntervalSince1970
    try db.write { db in
      try requireExisting(db, entity, [pair.a, pair.b])
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO not_duplicate (entity, first_id, second_id, user_id, at)
          VALUES (?, ?, ?, ?, ?)
          """, arguments: [entity.rawValue, pair.a, pair.b, userId, at])
    }
  }

  /// Removes a "not a duplicate" mark.
  public func unmarkNotDuplicate(_ entity: DuplicateEntity, _ a: Int64, _ b: Int64)
    throws(CRMError)
  {
    let pair = PairIds(a, b)
    try db.write { db in
      try db.execute(
        sql: "DELETE FROM not_duplicate WHERE entity = ? AND first_id = ? AND second_id = ?",
        arguments: [entity.rawValue, pair.a, pair.b])
    }
  }

  func requireExisting(_ db: Database, _ entity: DuplicateEntity, _ ids: [Int64]) throws {
    let table = entity == .client ? "client" : "contact_person"
    for id in ids
    where try !Bool(
      Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE id = ?", arguments: [id]) ?? 0
        > 0)
    {
      throw CRMError.notFound(
        what: entity == .client
          ? language.pick("client", "клиент") : language.pick("person", "контактное лицо"),
        id: id)
    }
  }
}
