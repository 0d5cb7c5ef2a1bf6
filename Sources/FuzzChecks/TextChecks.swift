import CRMCore
import CRMExchange
import Foundation

// MARK: - Points and lengths of time

enum WhenChecks {
  static let t = FuzzTarget.when
  /// Monday 2026-11-23 10:15 in Moscow; Berlin and New York have DST changes.
  static let now = Date(timeIntervalSince1970: 1_795_418_100)
  static let zones = ["Europe/Moscow", "Europe/Berlin", "America/New_York"].compactMap(
    TimeZone.init(identifier:))
  /// Four-digit years are accepted as typed (`25.11.2602`), so points in time stay within
  /// 10,000 years; lengths of time within 200 years.
  static let reach: TimeInterval = 10_000 * 366 * 86_400
  static let lengthReach: TimeInterval = 200 * 366 * 86_400

  static func check(_ data: Data) throws(FuzzViolation) {
    let typed = String(text(data).prefix(300))
    let language: Language = data.count % 2 == 0 ? .en : .ru
    let zone = zones[data.count % zones.count]
    let ctx = TimeContext(now: now, timeZone: zone)
    do {
      let d = try When.parse(typed, in: ctx, language: language, field: "--at")
      try expect(
        d.timeIntervalSince1970.isFinite && abs(d.timeIntervalSince(now)) < reach, t,
        "a point in time is within 10,000 years", "\(show(typed)) → \(d)")
    } catch {
      try expectInvalid(error, field: "--at", t, "When.parse")
    }
    do {
      let seconds = try When.duration(typed, language: language, field: "--duration")
      try expect(
        seconds.isFinite && seconds >= 0 && seconds < lengthReach, t,
        "a length of time is finite, ≥ 0 and under 200 years", "\(show(typed)) → \(seconds)")
    } catch {
      try expectInvalid(error, field: "--duration", t, "When.duration")
    }
    if let r = Recurrence(typed) {
      try expect(r.every > 0, t, "a repetition steps forward", "\(show(typed)) → \(r)")
      try expect(
        Recurrence(r.text) == r, t, "a repetition's storage form reads back",
        "\(show(typed)) → \(r.text) → \(String(describing: Recurrence(r.text)))")
      let cal = calendar(zone)
      let next = r.next(after: now, anchor: now, cal)
      try expect(next > now, t, "the next repetition is later", "\(r.text): \(next)")
    }
  }

  static func calendar(_ zone: TimeZone) -> Calendar {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = zone
    return c
  }
}

// MARK: - Search

/// The search box: whatever is typed becomes an FTS5 query that SQLite accepts (no syntax
/// error, no SQL injection) and that finds a client whose name is that text.
enum SearchChecks {
  static let t = FuzzTarget.search
  nonisolated(unsafe) static var db: CRMDatabase?
  nonisolated(unsafe) static var uses = 0

  static func database() throws(FuzzViolation) -> CRMDatabase {
    // A fresh database every 500 inputs keeps it small (each input may add a client).
    if let db, uses < 500 {
      uses += 1
      return db
    }
    do {
      let fresh = try CRMDatabase(memory: FixedTime())
      let clients = ClientService(ServiceContext(db: fresh, language: .en))
      for name in ["Ромашка", "Лютик и партнёры", "Alpha \"Beta\" Gamma", "O'Neil; DROP TABLE"] {
        _ = try clients.add(Client(name: name, phones: [Phone("+7 495 123-45-67")]), unowned: true)
      }
      db = fresh
      uses = 0
      return fresh
    } catch {
      throw FuzzViolation(t, "a database to search", "\(error)")
    }
  }

  static func check(_ data: Data) throws(FuzzViolation) {
    let typed = String(text(data).prefix(500))
    let db = try database()
    let query = ClientListQuery(search: typed)
    let before: Int
    do {
      before = try db.count(query)
      _ = try db.page(query, offset: 0, limit: 20)
    } catch {
      throw FuzzViolation(t, "any text searches without an SQL error", "\(show(typed)): \(error)")
    }
    // A client named with the text is found by it (when the text is a name and is searched
    // by its words, not as a phone number).
    let clients = ClientService(ServiceContext(db: db, language: .en))
    let id: Int64
    do {
      id = try clients.add(Client(name: typed), unowned: true)
    } catch {
      if case .invalid(let field, let problem) = error, !field.isEmpty, !problem.isEmpty { return }
      throw FuzzViolation(t, "a bad name fails with .invalid", "\(show(typed)): \(error)")
    }
    // Only names of letters, digits and spaces: a name with marks or symbols inside a word
    // ("maśr\u{FFFD}мо") can fold differently in the query and the index (see
    // docs/reliability.md, Fuzzing).
    let plain = typed.unicodeScalars.allSatisfy {
      $0 == " " || $0.properties.isAlphabetic && $0.properties.generalCategory != .nonspacingMark
        || ("0"..."9").contains($0)
    }
    guard plain else { return }
    let terms = SearchQuery.terms(typed)
    guard !terms.isEmpty, terms.count < 16 || terms.count == TextFold.words(typed).count else {
      return
    }
    let phoneLike = terms.count == 1 && terms[0].allSatisfy(\.isNumber)
    do {
      let after = try db.count(query)
      try expect(
        after == before + 1 || phoneLike, t, "a new client named with the text is counted",
        "\(show(typed)) terms \(terms): \(before) → \(after)")
      let rows = try db.page(query, offset: 0, limit: 1000)
      try expect(
        rows.contains { $0.id == id } || phoneLike, t,
        "a client named with the text is found by it", "\(show(typed)) terms \(terms)")
    } catch let v as FuzzViolation {
      throw v
    } catch {
      throw FuzzViolation(t, "any text searches without an SQL error", "\(show(typed)): \(error)")
    }
  }
}

struct FixedTime: Clock {
  func now() -> Date { WhenChecks.now }
}

// MARK: - Small typed values and normalizers

enum ValueChecks {
  static let t = FuzzTarget.values
  static let field = "--field"
  /// How many parsers the first byte chooses among.
  static let count = 13

  static func check(_ data: Data) throws(FuzzViolation) {
    guard let selector = data.first else { return }
    let typed = String(text(data.dropFirst()).prefix(400))
    let l: Language = selector & 0x80 == 0 ? .en : .ru
    func invalid(_ e: any Error, _ what: String) throws(FuzzViolation) {
      try expectInvalid(e, field: field, t, what)
    }
    switch Int(selector) % count {
    case 0:
      do {
        let m = try Money.parse(typed, language: l, field: field, allowNegative: true)
        let back = try? Money.parse(m.plain, language: l, field: field, allowNegative: true)
        try expect(back == m, t, "Money.plain reads back", "\(show(typed)) → \(m.plain)")
      } catch { try invalid(error, "Money.parse") }
    case 1:
      do { _ = try Currency.parse(typed, language: l, field: field) } catch {
        try invalid(error, "Currency.parse")
      }
    case 2:
      do { _ = try MoneyService.parseRate(typed, language: l, field: field) } catch {
        try invalid(error, "parseRate")
      }
    case 3:
      do {
        let q = try OfferService.parseQuantity(typed, language: l, field: field)
        try expect(q > 0, t, "a quantity is > 0", "\(show(typed)) → \(q)")
      } catch { try invalid(error, "parseQuantity") }
    case 4:
      do { _ = try OfferService.parseVAT(typed, language: l, field: field) } catch {
        try invalid(error, "parseVAT")
      }
    case 5:
      do { _ = try ContractKind.parse(typed, language: l, field: field) } catch {
        try invalid(error, "ContractKind.parse")
      }
    case 6:
      do { _ = try SegmentRule.parseCondition(typed, language: l) } catch {
        try nonEmptyInvalid(error, "parseCondition")
      }
    case 7:
      do { _ = try Completeness.Field.parseList(typed, language: l) } catch {
        try nonEmptyInvalid(error, "Completeness.Field.parseList")
      }
    case 8:
      do {
        let a = try EntryAction.parse(typed, language: l)
        let back = try? EntryAction.parse(a.text, language: l)
        try expect(
          back == a, t, "an entry action's text reads back",
          "\(show(typed)) → \(show(a.text)) → \(String(describing: back))")
      } catch { try nonEmptyInvalid(error, "EntryAction.parse") }
    case 9:
      if let d = BankDate(russian: typed) {
        try expect(
          BankDate(russian: d.russian) == d, t, "a bank date's text reads back", d.russian)
      }
    case 10:
      do { _ = try ClientCSVOptions.parseMap(typed) } catch {
        try expectMessage(error.en, error.ru, t, "a --map error")
      }
    case 11:
      let key = TextFold.key(typed)
      try expect(TextFold.key(key) == key, t, "TextFold.key is idempotent", show(typed))
      let line = TextFold.sanitizeLine(typed)
      try expect(
        TextFold.sanitizeLine(line) == line, t, "sanitizeLine is idempotent", show(typed))
      let trimmed = typed.trimmingSpaces()
      try expect(
        trimmed.trimmingSpaces() == trimmed, t, "trimmingSpaces is idempotent", show(typed))
      let sort = TextFold.sortKey(typed)
      try expect(TextFold.sortKey(sort) == sort, t, "sortKey is idempotent", show(typed))
    default:
      // The validator as a normalizer: what it accepts, it accepts again unchanged.
      let parts = typed.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      func part(_ i: Int) -> String { i < parts.count ? parts[i] : "" }
      let input = Client(
        kind: selector & 0x40 == 0 ? .company : .person, name: part(0), legalForm: part(1),
        inn: part(2), kpp: part(3), ogrn: part(4), phones: part(5).isEmpty ? [] : [Phone(part(5))],
        emails: part(6).isEmpty ? [] : [part(6)], website: part(7), city: part(8),
        tags: part(9).isEmpty ? [] : [part(9)], notes: part(10))
      let v = Validator(language: l)
      do {
        let once = try v.client(input)
        do {
          let twice = try v.client(once)
          try expect(
            twice == once, t, "validation is idempotent", "once \(once)\ntwice \(twice)")
        } catch {
          throw FuzzViolation(
            t, "what validation accepts it accepts again", "once \(once)\nthen \(error)")
        }
      } catch let e as FuzzViolation {
        throw e
      } catch {
        try nonEmptyInvalid(error, "Validator.client")
      }
      try legalEntity(parts, kind: selector & 0x40 == 0 ? .organization : .entrepreneur, l)
      // Our images: any bytes are a PNG or an .invalid naming the image.
      do { try CompanyService.checkPNG(data.dropFirst(), field: "logo", l) } catch {
        try nonEmptyInvalid(error, "CompanyService.checkPNG")
      }
    }
  }

  /// Our legal entity's requisites from the same tab-separated parts: what the validator
  /// accepts it accepts again unchanged; a refusal is an .invalid naming a field.
  static func legalEntity(_ parts: [String], kind: LegalEntity.Kind, _ l: Language)
    throws(FuzzViolation)
  {
    func part(_ i: Int) -> String { i < parts.count ? parts[i] : "" }
    var input = LegalEntity(
      kind: kind, fullName: part(0), shortName: part(1), inn: part(2), kpp: part(3),
      ogrn: part(4), legalAddress: part(5), bankName: part(6), bik: part(7),
      corrAccount: part(8), account: part(9), phone: part(10), email: part(11))
    input.wording.invoiceFooter = part(12)
    let v = LegalEntityValidator(language: l)
    do {
      let once = try v.validate(input)
      do {
        let twice = try v.validate(once)
        try expect(
          twice == once, t, "requisites validation is idempotent", "once \(once)\ntwice \(twice)")
      } catch let e as FuzzViolation {
        throw e
      } catch {
        throw FuzzViolation(
          t, "what the requisites validation accepts it accepts again",
          "once \(once)\nthen \(error)")
      }
    } catch let e as FuzzViolation {
      throw e
    } catch {
      try nonEmptyInvalid(error, "LegalEntityValidator.validate")
    }
  }

  static func nonEmptyInvalid(_ e: any Error, _ what: String) throws(FuzzViolation) {
    if let v = e as? FuzzViolation { throw v }
    guard let c = e as? CRMError, case .invalid(let f, let problem) = c, !f.isEmpty,
      !problem.isEmpty
    else {
      throw FuzzViolation(t, "\(what) fails with .invalid naming a field", "\(e)")
    }
  }
}
