/// Checks and normalises a client or person before storage. Problems name the field in the
/// user's language, so the form and the CLI can show them as they are.
public struct Validator: Sendable {
  public let language: Language

  public init(language: Language) { self.language = language }

  public static let maxName = 300
  public static let maxField = 1000
  public static let maxNotes = 20000

  func fail(_ field: String, _ en: String, _ ru: String) -> CRMError {
    .invalid(field: field, problem: language.pick(en, ru))
  }

  /// Localized field names, shared by the form, the CLI and the history.
  public func fieldName(_ key: String) -> String {
    let names: [String: (String, String)] = [
      "name": ("Name", "Название"), "kind": ("Kind", "Тип"), "legal_form": ("Legal form", "ОПФ"),
      "inn": ("INN", "ИНН"), "kpp": ("KPP", "КПП"), "ogrn": ("OGRN", "ОГРН"),
      "phones": ("Phones", "Телефоны"), "emails": ("E-mails", "E-mail"),
      "website": ("Website", "Сайт"), "city": ("City", "Город"),
      "legal_address": ("Legal address", "Юр. адрес"),
      "actual_address": ("Actual address", "Факт. адрес"),
      "postal_address": ("Postal address", "Почт. адрес"),
      "bik": ("BIK", "БИК"), "account": ("Account", "Р/с"),
      "corr_account": ("Corr. account", "К/с"),
      "bank_name": ("Bank", "Банк"), "bank_accounts": ("Bank accounts", "Банковские счета"),
      "lead_source": ("Lead source", "Источник"), "segment": ("Segment", "Сегмент"),
      "owner": ("Owner", "Ответственный"), "tags": ("Tags", "Теги"), "notes": ("Notes", "Заметки"),
      "position": ("Position", "Должность"), "birthday": ("Birthday", "День рождения"),
      "merged": ("Merged", "Объединение"),
    ]
    guard let pair = names[key] else { return key }
    return language.pick(pair.0, pair.1)
  }

  /// A contact person's field name: a person has a name, not a title ("Имя", not "Название").
  public func personFieldName(_ key: String) -> String {
    key == "name" ? language.pick("Name", "Имя") : fieldName(key)
  }

  func line(_ value: String, _ key: String, max: Int, field: String? = nil) throws(CRMError)
    -> String
  {
    let clean = TextFold.sanitizeLine(value)
    if clean.count > max {
      throw fail(
        field ?? fieldName(key), "too long (\(clean.count) characters, at most \(max))",
        "слишком длинно (\(clean.count) символов, не больше \(max))")
    }
    return clean
  }

  func notes(_ value: String) throws(CRMError) -> String {
    var out = String.UnicodeScalarView()
    for s in value.unicodeScalars {
      let v = s.value
      if v == 0x0A || v == 0x09 {
        out.append(s)
      } else if v < 0x20 || (0x7F...0x9F).contains(v) {
        if v != 0x0D { out.append("\u{FFFD}") }
      } else {
        out.append(s)
      }
    }
    let clean = String(out).trimmingSpaces()
    if clean.count > Self.maxNotes {
      throw fail(
        fieldName("notes"), "too long (\(clean.count) characters, at most \(Self.maxNotes))",
        "слишком длинно (\(clean.count) символов, не больше \(Self.maxNotes))")
    }
    return clean
  }

  /// Phones as typed. The E.164 form the caller found (read in an import's region) is kept;
  /// a number that is no valid one keeps its typed text with no E.164 form (an office's short
  /// number, a foreign number written without its country code), so nothing typed is lost.
  /// Only text no number can be read from (`позвонить Ивану`, `12`) is refused.
  func phones(_ list: [Phone]) throws(CRMError) -> [Phone] {
    var out: [Phone] = []
    for p in list {
      let raw = try line(p.raw, "phones", max: 100)
      if raw.isEmpty { continue }
      var phone = p
      if raw != p.raw || !(p.e164.map(Self.isE164) ?? true) {
        phone = Phone(raw)
      }
      if phone.e164 == nil {
        if !Self.isReadablePhone(raw) {
          throw fail(
            fieldName("phones"), "\"\(raw)\" is not a phone number (e.g. +7 495 123-45-67)",
            "«\(raw)» — не номер телефона (пример: +7 495 123-45-67)")
        }
      }
      out.append(phone)
    }
    return out
  }

  /// Whether a number can be read from `raw` at all (at least 3 digits that libphonenumber sees
  /// as a number), valid in a region or not: what a phone field keeps as typed.
  public static func isReadablePhone(_ raw: String) -> Bool {
    PhoneNumber.parse(raw).status != .none
      && raw.unicodeScalars.lazy.filter({ $0.properties.numericType != nil }).count >= 3
  }

  /// What an import keeps as a phone when it has no international form: a number of a possible
  /// length in the region (a foreign one written without its country code), or 7 digits and
  /// more (a local number). Less (`060`) goes to the note with a warning.
  public static func isImportablePhone(_ raw: String) -> Bool {
    let status = PhoneNumber.parse(raw).status
    if status == .valid || status == .possible { return true }
    return status != .none
      && raw.unicodeScalars.lazy.filter({ $0.properties.numericType != nil }).count >= 7
  }

  /// `+` and 8 to 15 digits, the first not 0.
  static func isE164(_ s: String) -> Bool {
    let u = Array(s.utf8)
    return u.count >= 9 && u.count <= 16 && u[0] == 0x2B && u[1] != 0x30
      && u.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  func emails(_ list: [String]) throws(CRMError) -> [String] {
    var out: [String] = []
    for e in list {
      let address = try line(e, "emails", max: 254)
      if address.isEmpty { continue }
      if !EmailAddress.isValid(address) {
        throw fail(
          fieldName("emails"), "\"\(address)\" is not an e-mail address",
          "«\(address)» — не адрес e-mail")
      }
      out.append(address)
    }
    return out
  }

  func digitsOnly(_ value: String, _ key: String) throws(CRMError) -> String {
    let v = try line(value, key, max: 40).filter { $0 != " " }
    return v
  }

  /// A client's or person's name: one line, required.
  func name(_ value: String, person: Bool = false) throws(CRMError) -> String {
    let field = person ? personFieldName("name") : fieldName("name")
    let n = try line(value, "name", max: Self.maxName, field: field)
    if n.isEmpty {
      throw fail(field, "must not be empty", "не может быть пустым")
    }
    return n
  }

  /// Validates and cleans a client; throws the first problem found.
  public func client(_ input: Client) throws(CRMError) -> Client {
    var c = input
    // `ООО "Ромашка"` typed in the name is the form ООО and the name Ромашка.
    (c.name, c.legalForm) = ClientName.normalize(name: c.name, legalForm: c.legalForm)
    c.name = try name(c.name)
    c.legalForm = try line(c.legalForm, "legal_form", max: 100)
    c.inn = try digitsOnly(c.inn, "inn")
    if !c.inn.isEmpty {
      let expected = c.kind == .company ? 10 : 12
      if Requisites.digits(c.inn) == nil || c.inn.count != expected {
        throw fail(
          fieldName("inn"),
          "must be \(expected) digits for a \(c.kind == .company ? "company" : "person")",
          "должен состоять из \(expected) цифр для \(c.kind == .company ? "организации" : "физлица или ИП")"
        )
      }
      if !Requisites.isValidINN(c.inn) {
        throw fail(fieldName("inn"), "wrong check digit", "неверная контрольная цифра")
      }
    }
    c.kpp = try digitsOnly(c.kpp, "kpp").uppercased()
    if !c.kpp.isEmpty {
      if c.kind == .person {
        throw fail(fieldName("kpp"), "a person has no KPP", "у физлица и ИП нет КПП")
      }
      if !Requisites.isValidKPP(c.kpp) {
        throw fail(
          fieldName("kpp"), "must be 9 characters: 4 digits, 2 digits or letters A–Z, 3 digits",
          "должен быть из 9 знаков: 4 цифры, 2 цифры или буквы A–Z, 3 цифры")
      }
    }
    c.ogrn = try digitsOnly(c.ogrn, "ogrn")
    if !c.ogrn.isEmpty {
      let expected = c.kind == .company ? 13 : 15
      if Requisites.digits(c.ogrn) == nil || c.ogrn.count != expected {
        throw fail(
          fieldName("ogrn"), "must be \(expected) digits (\(expected == 13 ? "OGRN" : "OGRNIP"))",
          "должен состоять из \(expected) цифр (\(expected == 13 ? "ОГРН" : "ОГРНИП"))")
      }
      if !Requisites.isValidOGRN(c.ogrn) {
        throw fail(fieldName("ogrn"), "wrong check digit", "неверная контрольная цифра")
      }
    }
    c.phones = try phones(c.phones)
    c.emails = try emails(c.emails)
    c.website = try line(c.website, "website", max: Self.maxField)
    c.city = try line(c.city, "city", max: 200)
    c.legalAddress = try line(c.legalAddress, "legal_address", max: Self.maxField)
    c.actualAddress = try line(c.actualAddress, "actual_address", max: Self.maxField)
    c.postalAddress = try line(c.postalAddress, "postal_address", max: Self.maxField)
    c.leadSource = try line(c.leadSource, "lead_source", max: 200)
    c.segment = try line(c.segment, "segment", max: 100)
    c.notes = try notes(c.notes)
    var tags: [String] = []
    for t in c.tags {
      let tag = try line(t, "tags", max: 100)
      if !tag.isEmpty && !tags.contains(where: { TextFold.key($0) == TextFold.key(tag) }) {
        tags.append(tag)
      }
    }
    c.tags = tags
    var accounts: [BankAccount] = []
    for a in c.bankAccounts {
      accounts.append(try bankAccount(a))
    }
    c.bankAccounts = accounts.filter { !$0.isEmpty }
    return c
  }

  func bankAccount(_ input: BankAccount) throws(CRMError) -> BankAccount {
    var a = input
    a.bik = try digitsOnly(a.bik, "bik")
    a.account = try digitsOnly(a.account, "account")
    a.corrAccount = try digitsOnly(a.corrAccount, "corr_account")
    a.bankName = try line(a.bankName, "bank_name", max: 300)
    if a.isEmpty { return a }
    if !Requisites.isValidBIK(a.bik) {
      throw fail(fieldName("bik"), "must be 9 digits", "должен состоять из 9 цифр")
    }
    if !a.account.isEmpty {
      if Requisites.digits(a.account) == nil || a.account.count != 20 {
        throw fail(fieldName("account"), "must be 20 digits", "должен состоять из 20 цифр")
      }
      if !Requisites.isValidSettlementAccount(a.account, bik: a.bik) {
        throw fail(
          fieldName("account"), "check digit does not match BIK \(a.bik)",
          "контрольный ключ не сходится с БИК \(a.bik)")
      }
    }
    if !a.corrAccount.isEmpty {
      if Requisites.digits(a.corrAccount) == nil || a.corrAccount.count != 20 {
        throw fail(fieldName("corr_account"), "must be 20 digits", "должен состоять из 20 цифр")
      }
      if !Requisites.isValidCorrespondentAccount(a.corrAccount, bik: a.bik) {
        throw fail(
          fieldName("corr_account"), "check digit does not match BIK \(a.bik)",
          "контрольный ключ не сходится с БИК \(a.bik)")
      }
    }
    return a
  }

  /// Validates and cleans a contact person.
  public func person(_ input: ContactPerson) throws(CRMError) -> ContactPerson {
    var p = input
    p.name = try name(p.name, person: true)
    p.position = try line(p.position, "position", max: 200)
    p.phones = try phones(p.phones)
    p.emails = try emails(p.emails)
    p.birthday = try line(p.birthday, "birthday", max: 10)
    if !p.birthday.isEmpty {
      // Typed in either language's format; stored as YYYY-MM-DD.
      guard let day = Formats.parseDay(p.birthday), Self.isISODate(day) else {
        throw fail(
          fieldName("birthday"), "use YYYY-MM-DD, e.g. 1980-03-08",
          "в виде ДД.ММ.ГГГГ, например 08.03.1980")
      }
      p.birthday = day
    }
    p.notes = try notes(p.notes)
    return p
  }

  /// `YYYY-MM-DD`, a real day between 1900 and 2100.
  public static func isISODate(_ s: String) -> Bool {
    let parts = s.split(separator: "-")
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
    else { return false }
    let days = [
      31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31,
      30, 31, 30, 31,
    ]
    return (1900...2100).contains(y) && (1...12).contains(m) && d >= 1 && d <= days[m - 1]
  }
}
