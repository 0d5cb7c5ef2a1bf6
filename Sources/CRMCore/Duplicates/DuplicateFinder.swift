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
  /// The smaller id first; for a client not saved yet (`matches(for:)`), the existing client
  /// first and the new one second with id 0.
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

extension DuplicateCandidate.Reason {
  /// A pair's strongest reason as the card's hint and the import's report name it (reasons are
  /// listed strongest first: ИНН, phone, e-mail, then the name).
  init(_ pair: DuplicatePair) {
    switch pair.reasons.first {
    case .sameINN: self = .inn
    case .samePhone: self = .phone
    case .sameEmail: self = .email
    default: self = .name
    }
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
    var scratch = LevenshteinScratch()
    return similarity(x, y, at: 0, &scratch)
  }

  /// The same, giving up (0) as soon as the result must fall below `least`; the rows are
  /// reused between calls.
  static func similarity(
    _ x: [Unicode.Scalar], _ y: [Unicode.Scalar], at least: Double, _ s: inout LevenshteinScratch
  ) -> Double {
    if x.isEmpty || y.isEmpty { return 0 }
    if x == y { return 1 }
    let longer = max(x.count, y.count)
    // The length difference alone bounds the distance: skip hopeless pairs cheaply.
    let slack = least > 0 ? 1 - least : 0.4
    if Double(longer - min(x.count, y.count)) / Double(longer) > slack { return 0 }
    let limit = Int((1 - least) * Double(longer))
    if s.prev.count < y.count + 1 {
      s.prev = Array(repeating: 0, count: y.count + 1)
      s.cur = s.prev
    }
    for j in 0...y.count { s.prev[j] = j }
    for i in 1...x.count {
      s.cur[0] = i
      let xi = x[i - 1]
      var best = i
      for j in 1...y.count {
        let v = min(s.prev[j] + 1, s.cur[j - 1] + 1, s.prev[j - 1] + (xi == y[j - 1] ? 0 : 1))
        s.cur[j] = v
        best = min(best, v)
      }
      if least > 0 && best > limit { return 0 }
      swap(&s.prev, &s.cur)
    }
    return 1 - Double(s.prev[y.count]) / Double(longer)
  }
}

/// Two rows of the edit-distance table, kept between comparisons.
struct LevenshteinScratch {
  var prev: [Int] = []
  var cur: [Int] = []
}

/// Finds duplicate clients and contact persons: candidates from blocking keys (ИНН, phone,
/// e-mail, the folded name and its sorted neighbours), each pair scored by `DuplicateScore`.
public struct DuplicateFinder: CoreService {
  public let context: ServiceContext

  /// The score from which a pair is a likely duplicate: the scan (`crm dedupe`, the review
  /// screen) lists pairs from here and the card warns from here, so the two agree.
  public static let threshold = 70

  /// A key shared by more clients than this (an office switchboard, `info@`) is no evidence of
  /// sameness and would make the scan quadratic: such blocks are skipped.
  public static let largestBlock = 30
  /// How many sorted neighbours of each folded name are compared.
  static let window = 4

  public init(_ context: ServiceContext) {
    self.context = context
  }

  // MARK: The whole base

  /// Every candidate pair among live clients (or persons), best first; pairs marked "not a
  /// duplicate" are left out.
  public func scan(_ entity: DuplicateEntity = .client, minScore: Int = threshold)
    throws(CRMError)
    -> [DuplicatePair]
  {
    let access = db.access
    return try db.read { db in
      // The scan touches rows all over the file: a page cache large enough to hold the tables
      // it reads turns 200,000 page reads from the OS into memory hits. Set back afterwards.
      let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
      try db.execute(sql: "PRAGMA cache_size = -262144")
      defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
      let pairs = try Self.scan(db, entity, minScore: minScore)
      if access.isAll { return pairs }
      // Only pairs whose both sides the signed-in user may see.
      let sql =
        entity == .client
        ? "SELECT c.id FROM client c WHERE \(access.condition(client: "c"))"
        : """
        SELECT p.id FROM contact_person p JOIN client c ON c.id = p.client_id
        WHERE \(access.condition(client: "c"))
        """
      let visible = Set(try Int64.fetchAll(db, sql: sql))
      return pairs.filter { visible.contains($0.first) && visible.contains($0.second) }
    }
  }

  static func scan(_ db: Database, _ entity: DuplicateEntity, minScore: Int) throws
    -> [DuplicatePair]
  {
    let table = entity == .client ? "client" : "contact_person"
    let owner = entity == .client ? "client_id" : "person_id"
    // Live rows with their folded names, in key order straight from the index.
    var ids: [Int64] = []
    var keys: [[Unicode.Scalar]] = []
    var index: [Int64: Int32] = [:]
    let live =
      entity == .client
      ? "deleted_at IS NULL"
      : "deleted_at IS NULL AND client_id IN (SELECT id FROM client WHERE deleted_at IS NULL)"
    let named = try Row.fetchCursor(
      db,
      sql: """
        SELECT id, match_key FROM \(table) WHERE match_key <> '' AND deleted_at IS NULL
        ORDER BY match_key
        """)
    // A person is live only while its client is; a client's named rows are live by the query,
    // and a client whose name folds to nothing is taken in when a block names it.
    var liveIds =
      entity == .person
      ? Set(try Int64.fetchAll(db, sql: "SELECT id FROM \(table) WHERE \(live)")) : []
    while let r = try named.next() {
      let id: Int64 = r[0]
      guard entity == .client || liveIds.contains(id) else { continue }
      index[id] = Int32(ids.count)
      ids.append(id)
      keys.append(Array((r[1] as String).unicodeScalars))
    }
    let n = ids.count
    liveIds.subtract(ids)
    for id in liveIds.sorted() {
      index[id] = Int32(ids.count)
      ids.append(id)
      keys.append([])
    }
    var dead = Set<Int64>()
    /// The row's place, taking in a live client without a folded name on first sight.
    func place(_ id: Int64) throws -> Int32? {
      if let i = index[id] { return i }
      guard entity == .client, !dead.contains(id) else { return nil }
      let isLive =
        try Int.fetchOne(
          db.cachedStatement(
            sql: "SELECT count(*) FROM client WHERE id = ? AND deleted_at IS NULL"),
          arguments: [id]) == 1
      guard isLive else {
        dead.insert(id)
        return nil
      }
      index[id] = Int32(ids.count)
      ids.append(id)
      keys.append([])
      return index[id]
    }
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
    /// Blocks of one key from a sequential scan of (owner, key) rows, grouped here (a grouped
    /// query costs ten times the scan); keys shared by a crowd are returned as no evidence.
    func blocks(_ sql: String, fold: (String) -> String = { $0 }) throws -> Set<String> {
      var groups: [String: [Int32]] = [:]
      groups.reserveCapacity(ids.count)
      let rows = try Row.fetchCursor(db, sql: sql)
      while let r = try rows.next() {
        guard let i = try place(r[0]) else { continue }  // in the trash
        let key = fold(r[1])
        if key.isEmpty { continue }
        groups[key, default: []].append(i)
      }
      var crowd = Set<String>()
      for (key, var members) in groups where members.count > 1 {
        members = Array(Set(members))
        if members.count > largestBlock { crowd.insert(key) } else { block(members) }
      }
      return crowd
    }
    if entity == .client {
      _ = try blocks("SELECT id, inn FROM client WHERE inn <> ''") { $0.trimmingSpaces() }
    }
    let crowdPhones = try blocks(
      "SELECT \(owner), e164 FROM phone NOT INDEXED WHERE e164 IS NOT NULL AND \(owner) IS NOT NULL"
    )
    let crowdEmails = try blocks(
      "SELECT \(owner), address_key FROM email NOT INDEXED WHERE \(owner) IS NOT NULL",
      fold: DuplicateKeys.email)
    // Names: runs of equal keys, then the nearest neighbours in key order and in the order of
    // the reversed key (a typo near the start moves a name far away in the first order only).
    var run = 0
    for i in 1...max(1, n) where i == n || (i < n && keys[i] != keys[run]) {
      if i - run > 1 { block((run..<i).map { Int32($0) }) }
      run = i
    }
    var scratch = LevenshteinScratch()
    let reversed = (0..<n).map { Array(keys[$0].reversed()) }
    for order in [
      Array(0..<n), (0..<n).sorted { reversed[$0].lexicographicallyPrecedes(reversed[$1]) },
    ] {
      for (k, i) in order.enumerated() {
        for m in (k + 1)..<min(k + 1 + window, order.count) {
          let j = order[m]
          if keys[i] == keys[j] { continue }  // a run, blocked above
          if DuplicateScore.similarity(keys[i], keys[j], at: 0.8, &scratch) >= 0.8 {
            pair(Int32(i), Int32(j))
          }
        }
      }
    }
    // Score the candidates, reading full profiles only for rows that are in a pair.
    let dismissed = try dismissedPairs(db, entity)
    var profiles: [Int32: DuplicateProfile] = [:]
    func profile(_ i: Int32) throws -> DuplicateProfile? {
      if let p = profiles[i] { return p }
      guard var p = try loadProfile(db, entity, ids[Int(i)]) else { return nil }
      p.phones.removeAll { crowdPhones.contains($0) }
      p.emails.removeAll { crowdEmails.contains($0) }
      profiles[i] = p
      return p
    }
    var out: [DuplicatePair] = []
    for c in candidates {
      guard let a = try profile(Int32(c >> 32)), let b = try profile(Int32(c & 0xFFFF_FFFF))
      else { continue }
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

  /// One live client's or person's profile: display name, ИНН, folded name, phones and
  /// e-mails; nil when it is gone or in the trash. Cached statements: an import asks per row.
  static func loadProfile(_ db: Database, _ entity: DuplicateEntity, _ id: Int64) throws
    -> DuplicateProfile?
  {
    var p: DuplicateProfile
    switch entity {
    case .client:
      guard
        let r = try Row.fetchOne(
          db.cachedStatement(
            sql: """
              SELECT name, legal_form, inn, match_key FROM client
              WHERE id = ? AND deleted_at IS NULL
              """), arguments: [id])
      else { return nil }
      let inn: String = r[2]
      p = DuplicateProfile(
        id: id, name: Client.displayName(name: r[0], legalForm: r[1]),
        inn: inn.trimmingSpaces(), key: r[3])
    case .person:
      guard
        let r = try Row.fetchOne(
          db.cachedStatement(
            sql: """
              SELECT p.name, c.name, c.legal_form, p.match_key FROM contact_person p
              JOIN client c ON c.id = p.client_id
              WHERE p.id = ? AND p.deleted_at IS NULL AND c.deleted_at IS NULL
              """), arguments: [id])
      else { return nil }
      let person: String = r[0]
      let client = Client.displayName(name: r[1], legalForm: r[2])
      p = DuplicateProfile(id: id, name: "\(person) (\(client))", inn: "", key: r[3])
    }
    let owner = entity == .client ? "client_id" : "person_id"
    for phone in try String.fetchAll(
      db.cachedStatement(
        sql: "SELECT e164 FROM phone WHERE \(owner) = ? AND e164 IS NOT NULL ORDER BY position"),
      arguments: [id]) where !p.phones.contains(phone)
    {
      p.phones.append(phone)
    }
    for address in try String.fetchAll(
      db.cachedStatement(
        sql: "SELECT address_key FROM email WHERE \(owner) = ? ORDER BY position"),
      arguments: [id])
    {
      let e = DuplicateKeys.email(address)
      if !e.isEmpty && !p.emails.contains(e) { p.emails.append(e) }
    }
    return p
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

  // MARK: One client

  /// Live clients that may be `client` (not yet stored, or stored: its own id is skipped),
  /// best first.
  public func matches(for client: Client, minScore: Int = threshold, limit: Int = 5)
    throws(CRMError)
    -> [DuplicatePair]
  {
    let access = db.access
    return try db.read { db in
      try Self.matches(db, for: client, minScore: minScore, limit: limit).filter { pair in
        let other = pair.first == (client.id ?? 0) ? pair.second : pair.first
        return try !access.hides(db, clientId: other)
      }
    }
  }

  /// The same inside a caller's transaction (an import sees the rows it has added so far).
  /// `fuzzy` adds names that are only similar (one more index range per call); `key` is the
  /// client's folded name when the caller has it already.
  public static func matches(
    _ db: Database, for client: Client, minScore: Int = threshold, limit: Int = 5,
    fuzzy: Bool = true,
    key known: String? = nil
  ) throws -> [DuplicatePair] {
    var me = DuplicateProfile(
      id: client.id ?? 0, name: client.displayName, inn: client.inn.trimmingSpaces(),
      key: known ?? DuplicateKeys.name(client.name))
    me.phones = client.phones.compactMap { $0.e164 ?? PhoneNumber.e164($0.raw) }
    me.emails = client.emails.map(DuplicateKeys.email).filter { !$0.isEmpty }
    if let id = client.id {
      // A stored client's persons' phones and e-mails count as the scan counts them.
      for phone in try String.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT e164 FROM phone WHERE client_id = ? AND person_id IS NOT NULL
              AND e164 IS NOT NULL ORDER BY position
            """), arguments: [id]) where !me.phones.contains(phone)
      {
        me.phones.append(phone)
      }
      for address in try String.fetchAll(
        db.cachedStatement(
          sql: "SELECT address_key FROM email WHERE client_id = ? AND person_id IS NOT NULL"),
        arguments: [id])
      {
        let e = DuplicateKeys.email(address)
        if !e.isEmpty && !me.emails.contains(e) { me.emails.append(e) }
      }
    }
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
    /// Adds the clients sharing one value and keeps the value, unless a crowd shares it.
    func addUnlessCrowd(_ sql: String, _ value: String) throws -> Bool {
      let found = try Int64.fetchAll(db.cachedStatement(sql: sql), arguments: [value, crowd])
      guard found.count < crowd else { return false }
      for id in found where id != client.id && !ids.contains(id) { ids.append(id) }
      return true
    }
    me.phones = try me.phones.filter { phone in
      try addUnlessCrowd(
        """
        SELECT DISTINCT c.id FROM phone p JOIN client c ON c.id = p.client_id
        WHERE p.e164 = ? AND c.deleted_at IS NULL LIMIT ?
        """, phone)
    }
    me.emails = try me.emails.filter { email in
      try addUnlessCrowd(
        """
        SELECT DISTINCT c.id FROM email e JOIN client c ON c.id = e.client_id
        WHERE e.address_key = ? AND c.deleted_at IS NULL LIMIT ?
        """, TextFold.key(email))
    }
    let key = String(String.UnicodeScalarView(me.key))
    if !key.isEmpty {
      if fuzzy {
        // The blocks the scan builds, for this one name: the clients of the same folded name,
        // then the `window` nearest names on each side in key order and in reversed-key order
        // (`match_rkey`), kept when 80 % alike, as the scan keeps its neighbours.
        try add(
          """
          SELECT id FROM client WHERE match_key = ? AND match_key <> '' AND deleted_at IS NULL
          LIMIT \(largestBlock)
          """, [key])
        let rkey = DuplicateKeys.reversed(key)
        var scratch = LevenshteinScratch()
        for (column, value) in [("match_key", key), ("match_rkey", rkey)] {
          for (op, order) in [(">", "ASC"), ("<", "DESC")] {
            let rows = try Row.fetchCursor(
              db.cachedStatement(
                sql: """
                  SELECT id, match_key FROM client INDEXED BY client_by_\(column)
                  WHERE \(column) \(op) ? AND \(column) <> '' AND deleted_at IS NULL
                  ORDER BY \(column) \(order), id \(order) LIMIT \(window)
                  """), arguments: [value])
            while let r = try rows.next() {
              let id: Int64 = r[0]
              if id == client.id || ids.contains(id) { continue }
              let other = Array((r[1] as String).unicodeScalars)
              if DuplicateScore.similarity(me.key, other, at: 0.8, &scratch) >= 0.8 {
                ids.append(id)
              }
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
    let others = try ids.compactMap { try loadProfile(db, .client, $0) }
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
    if client.id != nil {
      let marked = try db.cachedStatement(
        sql: """
          SELECT count(*) FROM not_duplicate
          WHERE entity = 'client' AND first_id = ? AND second_id = ?
          """)
      out = try out.filter { try Int.fetchOne(marked, arguments: [$0.first, $0.second]) == 0 }
    }
    return Array(
      out.sorted { ($0.score, $1.first) > ($1.score, $0.first) }.prefix(limit))
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
