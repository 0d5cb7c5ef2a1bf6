import Foundation
import GRDB

/// Database-wide settings kept in the `setting` table, each with a default and a check.
/// `crm settings list|get|set` reads and writes them; unknown keys are refused.
public struct Settings: Equatable, Sendable {
  /// Minutes before a planned contact that its reminder rings (`remind_before`, default 15).
  public var remindBeforeMinutes = 15
  /// After "no answer" the n-th retry is planned this long after now (`no_answer_rule`, default
  /// `2h,1d,3d`; the last step repeats).
  public var noAnswerSteps: [TimeInterval] = [2 * 3600, 86400, 3 * 86400]
  /// "Stay in touch every N days" per segment (`cadence`, default `VIP=14;Постоянный=30;regular=30`).
  /// Segments are matched case-insensitively; a segment not listed has no cadence.
  public var cadence: [String: Int] = ["vip": 14, "постоянный": 30, "regular": 30]
  /// The hour a day-only WHEN (`tomorrow`, `25.11.2026`) means (`day_start`, default 10).
  public var dayStartHour = 10
  /// The hour the working day ends (`day_end`, default 18): follow-ups planned from a relative
  /// time land between `day_start` and it, on a working day (see `WorkingHours`).
  public var dayEndHour = 18
  /// Our organisation as 1C knows it: exported acts carry it (`company_name`, `company_inn`,
  /// `company_kpp`; empty until set).
  public var companyName = ""
  public var companyINN = ""
  public var companyKPP = ""
  /// Days from an invoice's date to its due day when its contract names no terms
  /// (`invoice_due_days`, default 5).
  public var invoiceDueDays = 5
  /// The EnterpriseData format version acts are exported in (`enterprisedata_version`,
  /// default empty: the exporter's default).
  public var enterpriseDataVersion = ""
  /// The fields the completeness report counts (`completeness_fields`, comma-separated names
  /// from `Completeness.Field`; default `phone,email,inn,city,owner,segment,lead_source,address,
  /// person`).
  public var completenessFields: [Completeness.Field] = Completeness.Field.defaults
  /// ABC: the revenue shares of A and B in percent, C the rest (`abc_shares`, default
  /// `80/15/5`).
  public var abcSharePercents: (a: Int, b: Int) = (80, 15)
  /// The ABC/XYZ period in months, ending on the snapshot day (`abc_months`, default 12).
  public var abcMonths = 12
  /// XYZ: the largest coefficients of variation of X and Y (`xyz_cv`, default `0.25/0.5`).
  public var xyzLimits: (x: Double, y: Double) = (0.25, 0.5)
  /// Which clients managers see: own, team or all (`visibility`, default all).
  public var visibility = Visibility.all
  /// Which clients supervisors see: team or all (`supervisor_visibility`, default all).
  public var supervisorVisibility = Visibility.all
  /// Whether an unknown login becomes a manager on first use (`auto`, the default) or is refused
  /// until an admin adds it (`closed`) (`user_signup`).
  public var openSignup = true
  /// How clients created without an owner are given to a manager (`lead_rule`: off,
  /// round_robin, least_busy, segment, region; default off).
  public var leadRule = LeadRule.off
  /// The managers who receive leads (`lead_pool`, logins separated by commas; empty: every
  /// active manager).
  public var leadPool: [String] = []
  /// Under `segment`: SEGMENT=login,login;… (`lead_segment_map`); a segment not listed goes by
  /// `lead_fallback`.
  public var leadSegmentMap: [String: [String]] = [:]
  /// Under `region`: CITY=login,login;… (`lead_region_map`).
  public var leadRegionMap: [String: [String]] = [:]
  /// The rule for leads no map entry covers (`lead_fallback`: round_robin or least_busy).
  public var leadFallback = LeadRule.roundRobin
  /// The largest file kept as an attachment, in megabytes (`attachment_max_mb`, default 25).
  public var attachmentMaxMB = 25

  public init() {}

  public static func == (a: Settings, b: Settings) -> Bool {
    a.remindBeforeMinutes == b.remindBeforeMinutes && a.noAnswerSteps == b.noAnswerSteps
      && a.cadence == b.cadence && a.dayStartHour == b.dayStartHour
      && a.dayEndHour == b.dayEndHour && a.companyName == b.companyName
      && a.companyINN == b.companyINN && a.companyKPP == b.companyKPP
      && a.invoiceDueDays == b.invoiceDueDays && a.enterpriseDataVersion == b.enterpriseDataVersion
      && a.completenessFields == b.completenessFields
      && a.abcSharePercents == b.abcSharePercents && a.abcMonths == b.abcMonths
      && a.xyzLimits == b.xyzLimits && a.visibility == b.visibility
      && a.supervisorVisibility == b.supervisorVisibility && a.openSignup == b.openSignup
      && a.leadRule == b.leadRule && a.leadPool == b.leadPool
      && a.leadSegmentMap == b.leadSegmentMap && a.leadRegionMap == b.leadRegionMap
      && a.leadFallback == b.leadFallback && a.attachmentMaxMB == b.attachmentMaxMB
  }

  public static let keys = [
    "remind_before", "no_answer_rule", "cadence", "day_start", "day_end", "company_name",
    "company_inn", "company_kpp", "invoice_due_days", "enterprisedata_version",
    "completeness_fields", "abc_shares", "abc_months", "xyz_cv", "visibility",
    "supervisor_visibility", "user_signup", "lead_rule", "lead_pool", "lead_segment_map",
    "lead_region_map", "lead_fallback", "attachment_max_mb",
  ]

  /// Segments whose clients are ranked first in reminders.
  public static func isVIP(_ segment: String) -> Bool { TextFold.key(segment) == "vip" }

  public func cadenceDays(segment: String) -> Int? { cadence[TextFold.key(segment)] }

  /// The stored text of a setting.
  public func value(_ key: String) -> String? {
    switch key {
    case "remind_before": return "\(remindBeforeMinutes)m"
    case "no_answer_rule": return noAnswerSteps.map(Self.durationText).joined(separator: ",")
    case "cadence":
      return cadence.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
        separator: ";")
    case "day_start": return "\(dayStartHour)"
    case "day_end": return "\(dayEndHour)"
    case "company_name": return companyName
    case "company_inn": return companyINN
    case "company_kpp": return companyKPP
    case "invoice_due_days": return "\(invoiceDueDays)"
    case "enterprisedata_version": return enterpriseDataVersion
    case "completeness_fields": return completenessFields.map(\.rawValue).joined(separator: ",")
    case "abc_shares":
      return
        "\(abcSharePercents.a)/\(abcSharePercents.b)/\(100 - abcSharePercents.a - abcSharePercents.b)"
    case "abc_months": return "\(abcMonths)"
    case "xyz_cv": return "\(Self.decimalText(xyzLimits.x))/\(Self.decimalText(xyzLimits.y))"
    case "visibility": return visibility.rawValue
    case "supervisor_visibility": return supervisorVisibility.rawValue
    case "user_signup": return openSignup ? "auto" : "closed"
    case "lead_rule": return leadRule.rawValue
    case "lead_pool": return leadPool.joined(separator: ",")
    case "lead_segment_map": return Self.mapText(leadSegmentMap)
    case "lead_region_map": return Self.mapText(leadRegionMap)
    case "lead_fallback": return leadFallback.rawValue
    case "attachment_max_mb": return "\(attachmentMaxMB)"
    default: return nil
    }
  }

  /// Logins separated by commas or spaces, empty ones dropped, order kept, no repeats.
  static func logins(_ text: String) -> [String] {
    var seen = Set<String>()
    return text.split(whereSeparator: { $0 == "," || $0 == " " }).map {
      TextFold.sanitizeLine(String($0))
    }.filter { !$0.isEmpty && seen.insert($0).inserted }
  }

  static func mapText(_ map: [String: [String]]) -> String {
    map.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.joined(separator: ","))" }.joined(
      separator: ";")
  }

  /// `0.25`, `0.5`, `1`: at most four decimals, no trailing zeros.
  static func decimalText(_ d: Double) -> String {
    var t = String(format: "%.4f", d)
    while t.hasSuffix("0") { t.removeLast() }
    if t.hasSuffix(".") { t.removeLast() }
    return t
  }

  static func durationText(_ t: TimeInterval) -> String {
    let s = Int(t)
    if s % 86400 == 0 { return "\(s / 86400)d" }
    if s % 3600 == 0 { return "\(s / 3600)h" }
    return "\(s / 60)m"
  }

  /// Sets one setting from text; the message names the key and the forms that work.
  public mutating func set(_ key: String, _ text: String, language l: Language) throws(CRMError) {
    let t = text.trimmingSpaces()
    func bad(_ en: String, _ ru: String) -> CRMError {
      .invalid(field: key, problem: l.pick(en, ru))
    }
    switch key {
    case "remind_before":
      guard let d = Self.minutes(t), d >= 0, d <= 7 * 24 * 60 else {
        throw bad(
          "minutes before the contact, e.g. 15m, 1h, 0 (0 to 7 days)",
          "минуты до контакта, например 15m, 1h, 0 (от 0 до 7 дней)")
      }
      remindBeforeMinutes = d
    case "no_answer_rule":
      let parts = t.split(separator: ",").map { String($0).trimmingSpaces() }
      let steps = parts.compactMap { Self.minutes($0) }.map { TimeInterval($0 * 60) }
      guard !parts.isEmpty, steps.count == parts.count, steps.allSatisfy({ $0 > 0 }) else {
        throw bad(
          "comma-separated delays for the 1st, 2nd… retry, e.g. 2h,1d,3d",
          "задержки 1-го, 2-го… повтора через запятую, например 2h,1d,3d")
      }
      noAnswerSteps = steps
    case "cadence":
      var out: [String: Int] = [:]
      for part in t.split(separator: ";") where !String(part).trimmingSpaces().isEmpty {
        let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
        guard kv.count == 2, !kv[0].isEmpty, let days = Int(kv[1]), (1...3650).contains(days)
        else {
          throw bad(
            "SEGMENT=DAYS pairs separated by ';', e.g. VIP=14;Постоянный=30",
            "пары СЕГМЕНТ=ДНИ через ';', например VIP=14;Постоянный=30")
        }
        out[TextFold.key(kv[0])] = days
      }
      cadence = out
    case "day_start":
      guard let h = Int(t), (0...23).contains(h) else {
        throw bad("an hour from 0 to 23", "час от 0 до 23")
      }
      dayStartHour = h
    case "day_end":
      guard let h = Int(t), (1...24).contains(h) else {
        throw bad("an hour from 1 to 24", "час от 1 до 24")
      }
      dayEndHour = h
    case "notify_command", "mail_command", "sms_command", "opener":
      throw .invalid(
        field: key,
        problem: l.pick(
          "a command is never taken from the shared database (anyone who can write the file "
            + "could make you run anything); set it in your own "
            + "$XDG_CONFIG_HOME/termcrm/config.toml, or give it on the command line",
          "команда никогда не берётся из общей базы (кто может писать в файл, заставил бы вас "
            + "выполнить что угодно); задайте её в своём $XDG_CONFIG_HOME/termcrm/config.toml "
            + "или в командной строке"))
    case "company_name":
      companyName = TextFold.sanitizeLine(t)
    case "company_inn":
      guard t.isEmpty || Requisites.isValidINN(t) else {
        throw bad(
          "«\(t)» is not a valid ИНН (10 or 12 digits with correct check digits)",
          "«\(t)» — неверный ИНН (10 или 12 цифр с верными контрольными)")
      }
      companyINN = t
    case "company_kpp":
      guard t.isEmpty || Requisites.isValidKPP(t) else {
        throw bad("«\(t)» is not a valid КПП (9 characters)", "«\(t)» — неверный КПП (9 знаков)")
      }
      companyKPP = t
    case "invoice_due_days":
      guard let d = Int(t), (0...365).contains(d) else {
        throw bad("days from 0 to 365", "дней от 0 до 365")
      }
      invoiceDueDays = d
    case "attachment_max_mb":
      guard let d = Int(t), (1...1024).contains(d) else {
        throw bad("megabytes from 1 to 1024", "мегабайт от 1 до 1024")
      }
      attachmentMaxMB = d
    case "enterprisedata_version":
      guard t.isEmpty || t.range(of: #"^1\.\d{1,2}$"#, options: .regularExpression) != nil else {
        throw bad("a version such as 1.8 or 1.17", "версия вида 1.8 или 1.17")
      }
      enterpriseDataVersion = t
    case "completeness_fields":
      completenessFields = try Completeness.Field.parseList(t, language: l)
    case "abc_shares":
      let parts = t.split(separator: "/").map { Int(String($0).trimmingSpaces()) }
      guard parts.count == 2 || parts.count == 3, let a = parts[0], let b = parts[1], a > 0,
        b >= 0, a + b <= 100, parts.count == 2 || parts[2] == 100 - a - b
      else {
        throw bad(
          "percent of revenue for A/B/C adding up to 100, e.g. 80/15/5",
          "доли выручки A/B/C в процентах, в сумме 100, например 80/15/5")
      }
      abcSharePercents = (a, b)
    case "abc_months":
      guard let m = Int(t), (1...36).contains(m) else {
        throw bad("months from 1 to 36", "месяцев от 1 до 36")
      }
      abcMonths = m
    case "xyz_cv":
      let parts = t.replacingOccurrences(of: ",", with: ".").split(separator: "/").map {
        Double(String($0).trimmingSpaces())
      }
      guard parts.count == 2, let x = parts[0], let y = parts[1], x > 0, x <= y, y <= 10 else {
        throw bad(
          "the largest CV of X and of Y, e.g. 0.25/0.5 (0 < X ≤ Y ≤ 10)",
          "наибольший коэффициент вариации X и Y, например 0.25/0.5 (0 < X ≤ Y ≤ 10)")
      }
      xyzLimits = ((x * 10000).rounded() / 10000, (y * 10000).rounded() / 10000)
    case "visibility":
      guard let v = Visibility(rawValue: t.lowercased()) else {
        throw bad("own, team or all", "own (свои), team (команды) или all (все)")
      }
      visibility = v
    case "supervisor_visibility":
      guard let v = Visibility(rawValue: t.lowercased()), v != .own else {
        throw bad("team or all", "team (команды) или all (все)")
      }
      supervisorVisibility = v
    case "user_signup":
      switch t.lowercased() {
      case "auto": openSignup = true
      case "closed": openSignup = false
      default:
        throw bad(
          "auto (an unknown login becomes a manager) or closed (an admin adds users)",
          "auto (новый логин становится менеджером) или closed (пользователей добавляет администратор)"
        )
      }
    case "lead_rule":
      guard let r = LeadRule(rawValue: t.lowercased()) else {
        throw bad(
          "one of \(LeadRule.allCases.map(\.rawValue).joined(separator: ", "))",
          "одно из \(LeadRule.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      leadRule = r
    case "lead_pool":
      leadPool = Self.logins(t)
    case "lead_segment_map", "lead_region_map":
      var out: [String: [String]] = [:]
      for part in t.split(separator: ";") where !String(part).trimmingSpaces().isEmpty {
        let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
        guard kv.count == 2, !kv[0].isEmpty, !Self.logins(kv[1]).isEmpty else {
          throw bad(
            "NAME=login,login pairs separated by ';', e.g. VIP=anna;Москва=boris,vera",
            "пары ИМЯ=логин,логин через ';', например VIP=anna;Москва=boris,vera")
        }
        out[TextFold.key(kv[0])] = Self.logins(kv[1])
      }
      if key == "lead_segment_map" { leadSegmentMap = out } else { leadRegionMap = out }
    case "lead_fallback":
      guard let r = LeadRule(rawValue: t.lowercased()), r == .roundRobin || r == .leastBusy else {
        throw bad("round_robin or least_busy", "round_robin или least_busy")
      }
      leadFallback = r
    default:
      throw .invalid(
        field: key,
        problem: l.pick(
          "no such setting; known: \(Self.keys.joined(separator: ", "))",
          "такой настройки нет; есть: \(Self.keys.joined(separator: ", "))"))
    }
  }

  /// `15`, `15m`, `2h`, `1d` as minutes.
  static func minutes(_ s: String) -> Int? {
    let t = TextFold.key(s).replacingOccurrences(of: " ", with: "")
    guard let last = t.last else { return nil }
    if last.isNumber { return Int(t) }
    guard let n = Int(t.dropLast()), n >= 0 else { return nil }
    switch last {
    case "m", "м": return n
    case "h", "ч": return n * 60
    case "d", "д": return n * 1440
    case "w", "н": return n * 10080
    default: return nil
    }
  }
}

extension CRMDatabase {
  /// A setting's text exactly as stored (nil when absent), even for a key crm no longer reads.
  public func storedSetting(_ key: String) throws(CRMError) -> String? {
    try read { db in
      try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }
  }

  /// The settings as stored, defaults for what is not.
  public func settings() throws(CRMError) -> Settings {
    try read { db in try Self.loadSettings(db) }
  }

  static func loadSettings(_ db: Database) throws -> Settings {
    var s = Settings()
    for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") {
      // A value that no longer parses keeps the default rather than breaking every screen.
      try? s.set(row["key"], row["value"], language: .en)
    }
    return s
  }

  /// Changes one setting after checking it (admins only, once signed in); returns the stored
  /// text.
  @discardableResult
  public func setSetting(_ key: String, _ value: String, language: Language) throws(CRMError)
    -> String
  {
    try require([.admin], to: "crm settings set", language: language)
    var s = try settings()
    let before = s.value(key) ?? ""
    try s.set(key, value, language: language)
    if (key == "day_start" || key == "day_end") && s.dayEndHour <= s.dayStartHour {
      throw .invalid(
        field: key,
        problem: language.pick(
          "the working day must end after it starts (day_start \(s.dayStartHour), day_end "
            + "\(s.dayEndHour))",
          "рабочий день должен кончаться позже, чем начинается (day_start \(s.dayStartHour), "
            + "day_end \(s.dayEndHour))"))
    }
    let text = s.value(key) ?? value
    let at = clock.now()
    let by = viewer.user?.id
    try write { db in
      try db.execute(
        sql: """
          INSERT INTO setting (key, value) VALUES (?, ?)
          ON CONFLICT(key) DO UPDATE SET value = excluded.value
          """, arguments: [key, text])
      if before != text {
        let id = try Int64.fetchOne(
          db, sql: "SELECT id FROM setting WHERE key = ?", arguments: [key])
        try Self.auditSetUp(
          db, by: by, entity: "setting", entityId: id ?? 0, action: "set",
          old: [key: before], new: [key: text], at: at)
      }
    }
    return text
  }
}
